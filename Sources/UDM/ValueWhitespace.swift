/// The whitespace rule applied before a timestamp, date or integer is parsed (load-semantics §5):
/// surrounding spaces and tabs are removed and inner runs become one space. Text values are
/// never touched by it.
enum ValueWhitespace {
  @inline(__always)
  static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

  /// The bytes without leading and trailing spaces and tabs.
  @inline(__always)
  static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var start = 0
    var end = bytes.count
    while start < end && isSpace(bytes[start]) { start += 1 }
    while end > start && isSpace(bytes[end - 1]) { end -= 1 }
    return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
  }

  /// Writes the normalized bytes into `target` and returns their count; `nil` when they do not
  /// fit (no accepted form is that long, so the value is malformed anyway).
  static func normalize(_ bytes: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer)
    -> Int?
  {
    var count = 0
    var previousWasSpace = false
    for byte in trimmed(bytes) {
      let space = isSpace(byte)
      if space && previousWasSpace { continue }
      previousWasSpace = space
      guard count < target.count else { return nil }
      target[count] = space ? 0x20 : byte
      count += 1
    }
    return count
  }

  /// The value already follows the rule once trimmed: no tab, no two spaces in a row. The
  /// common case, which then needs no copy.
  static func isNormalized(_ trimmed: UnsafeRawBufferPointer) -> Bool {
    var previousWasSpace = false
    for byte in trimmed {
      if byte == 0x09 || (byte == 0x20 && previousWasSpace) { return false }
      previousWasSpace = byte == 0x20
    }
    return true
  }
}
