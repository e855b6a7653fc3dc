/// Writing zero-padded decimal fields into a byte buffer, for the canonical text forms of
/// timestamps and dates built without allocating.
enum CanonicalDigits {
  @inline(__always)
  static func write(
    _ value: Int, width: Int, into buffer: UnsafeMutableRawBufferPointer, at offset: Int
  ) {
    var remaining = value
    var position = offset + width - 1
    while position >= offset {
      buffer[position] = 0x30 + UInt8(truncatingIfNeeded: remaining % 10)
      remaining /= 10
      position -= 1
    }
  }

  /// `YYYY-MM-DD` at the start of the buffer (10 bytes).
  @inline(__always)
  static func writeDate(
    year: Int, month: Int, day: Int, into buffer: UnsafeMutableRawBufferPointer
  ) {
    write(year, width: 4, into: buffer, at: 0)
    buffer[4] = 0x2D
    write(month, width: 2, into: buffer, at: 5)
    buffer[7] = 0x2D
    write(day, width: 2, into: buffer, at: 8)
  }
}
