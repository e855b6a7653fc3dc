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

  /// Calls `body` with the normalized bytes, built on the stack; `nil` without calling it when
  /// they would exceed `limit` bytes (no accepted form is that long, so the value is malformed).
  @inline(__always)
  static func withNormalized<R>(
    _ bytes: UnsafeRawBufferPointer, limit: Int, _ body: (UnsafeRawBufferPointer) -> R?
  ) -> R? {
    let source = trimmed(bytes)
    guard !source.isEmpty else { return body(source) }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: limit) { buffer -> R? in
      var count = 0
      var previousWasSpace = false
      for byte in source {
        if isSpace(byte) {
          if previousWasSpace { continue }
          previousWasSpace = true
          guard count < limit else { return nil }
          buffer[count] = 0x20
        } else {
          previousWasSpace = false
          guard count < limit else { return nil }
          buffer[count] = byte
        }
        count += 1
      }
      return body(UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
    }
  }
}
