/// A date value of an LMS-UDM file (`EventDate`): the date part as written. A written time and
/// zone must be valid but are dropped, not applied — an attendance day stays the day the LMS
/// recorded (load-semantics §7).
public struct LMSDate: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  public init?(year: Int, month: Int, day: Int) {
    guard CivilCalendar.isValid(year: year, month: month, day: day) else { return nil }
    (self.year, self.month, self.day) = (year, month, day)
  }

  /// Parses a field's bytes in any form `LMSTimestamp` accepts; `nil` otherwise.
  public init?(parsing bytes: UnsafeRawBufferPointer) {
    guard let written = WrittenDateTime.parse(bytes) else { return nil }
    (year, month, day) = (written.year, written.month, written.day)
  }

  public init?(_ text: String) {
    var text = text
    guard let parsed = text.withUTF8({ LMSDate(parsing: UnsafeRawBufferPointer($0)) }) else {
      return nil
    }
    self = parsed
  }

  /// Days since 1970-01-01, for binary encodings.
  public var daysSinceUnixEpoch: Int {
    CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
  }

  /// `YYYY-MM-DD`.
  public var canonicalText: String {
    withCanonicalUTF8 { String(decoding: $0, as: UTF8.self) }
  }

  public var description: String { canonicalText }

  /// The canonical text's UTF-8 bytes, built on the stack; valid only inside `body`.
  @inlinable
  public func withCanonicalUTF8<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    var storage: (UInt64, UInt64) = (0, 0)
    return try withUnsafeMutableBytes(of: &storage) { buffer in
      writeCanonical(into: buffer)
      return try body(UnsafeRawBufferPointer(rebasing: buffer[..<10]))
    }
  }

  /// Writes the 10 bytes of `YYYY-MM-DD`.
  @usableFromInline
  func writeCanonical(into buffer: UnsafeMutableRawBufferPointer) {
    CanonicalDigits.writeDate(year: year, month: month, day: day, into: buffer)
  }

  public static func < (lhs: LMSDate, rhs: LMSDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }
}
