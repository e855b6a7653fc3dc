/// Finding the next byte that matters, eight bytes at a time: most of a CSV file is field text,
/// so the scanner should spend as little as possible per ordinary byte.
enum ByteSearch {
  private static let ones: UInt64 = 0x0101_0101_0101_0101
  private static let highBits: UInt64 = 0x8080_8080_8080_8080

  /// High bit set in each byte of `word` equal to `byte`. A borrow can also flag bytes above a
  /// true match, never below one, so the lowest flag is exact — which is all callers use.
  @inline(__always)
  private static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
    let difference = word ^ (ones &* UInt64(byte))
    return (difference &- ones) & ~difference & highBits
  }

  @inline(__always)
  private static func word(_ base: UnsafePointer<UInt8>, _ index: Int) -> UInt64 {
    // Byte 0 of the word must be the byte at `index` for trailingZeroBitCount to find it.
    UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
  }

  /// Index of the first `,`, LF or CR in `base[start..<end]`, or `end`.
  @inline(__always)
  static func firstDelimiter(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
    var index = start
    while index + 8 <= end {
      let value = word(base, index)
      let found = matches(value, 0x2C) | matches(value, 0x0A) | matches(value, 0x0D)
      if found != 0 { return index + found.trailingZeroBitCount >> 3 }
      index += 8
    }
    while index < end {
      let byte = base[index]
      if byte == 0x2C || byte == 0x0A || byte == 0x0D { return index }
      index += 1
    }
    return end
  }

  /// Index of the first `"`, LF or CR in `base[start..<end]`, or `end`.
  @inline(__always)
  static func firstQuoteOrLineEnd(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int)
    -> Int
  {
    var index = start
    while index + 8 <= end {
      let value = word(base, index)
      let found = matches(value, 0x22) | matches(value, 0x0A) | matches(value, 0x0D)
      if found != 0 { return index + found.trailingZeroBitCount >> 3 }
      index += 8
    }
    while index < end {
      let byte = base[index]
      if byte == 0x22 || byte == 0x0A || byte == 0x0D { return index }
      index += 1
    }
    return end
  }
}
