/// A timestamp value of an LMS-UDM file, in UTC when the file gave a zone, otherwise as written
/// (lms-udm §2, load-semantics §9), with microsecond precision as PostgreSQL stores it.
public struct LMSTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int
  public let hour: Int
  public let minute: Int
  public let second: Int
  public let microsecond: Int

  /// `nil` unless every field is in range for its calendar date (years 1–9999).
  public init?(
    year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
    microsecond: Int = 0
  ) {
    guard CivilCalendar.isValid(year: year, month: month, day: day), (0...23).contains(hour),
      (0...59).contains(minute), (0...59).contains(second), (0...999_999).contains(microsecond)
    else { return nil }
    self.init(
      unchecked: year, month, day, hour: hour, minute: minute, second: second,
      microsecond: microsecond)
  }

  private init(
    unchecked year: Int, _ month: Int, _ day: Int, hour: Int, minute: Int, second: Int,
    microsecond: Int
  ) {
    (self.year, self.month, self.day) = (year, month, day)
    (self.hour, self.minute, self.second, self.microsecond) = (hour, minute, second, microsecond)
  }

  /// Parses a field's bytes; `nil` when they are not an accepted timestamp form, or when the
  /// zone conversion or the fraction's rounding leaves years 1–9999.
  public init?(parsing bytes: UnsafeRawBufferPointer) {
    guard let written = WrittenDateTime.parse(bytes) else { return nil }
    let offset = written.offsetMinutes ?? 0
    if offset == 0 && written.microsecond < 1_000_000 {
      self.init(
        unchecked: written.year, written.month, written.day, hour: written.hour,
        minute: written.minute, second: written.second, microsecond: written.microsecond)
      return
    }
    // Carry and zone both shift the moment by whole seconds; redo the calendar from day counts.
    let carry = written.microsecond / 1_000_000
    var days = CivilCalendar.daysSinceEpoch(
      year: written.year, month: written.month, day: written.day)
    var seconds =
      written.hour * 3600 + written.minute * 60 + written.second + carry - offset * 60
    // Floor division: a negative second count belongs to an earlier day.
    let dayShift = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    days += dayShift
    seconds -= dayShift * 86_400
    let date = CivilCalendar.date(daysSinceEpoch: days)
    guard (1...9999).contains(date.year) else { return nil }
    self.init(
      unchecked: date.year, date.month, date.day, hour: seconds / 3600,
      minute: seconds % 3600 / 60, second: seconds % 60,
      microsecond: written.microsecond % 1_000_000)
  }

  public init?(_ text: String) {
    var text = text
    guard let parsed = text.withUTF8({ LMSTimestamp(parsing: UnsafeRawBufferPointer($0)) }) else {
      return nil
    }
    self = parsed
  }

  /// Microseconds since 1970-01-01 00:00:00, for binary encodings.
  public var microsecondsSinceUnixEpoch: Int64 {
    let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
    return Int64(seconds) * 1_000_000 + Int64(microsecond)
  }

  /// `YYYY-MM-DD HH:MM:SS`, plus `.ffffff` only when the microseconds are not zero: the text
  /// form SQLite stores and every dialect accepts.
  public var canonicalText: String {
    withCanonicalUTF8 { String(decoding: $0, as: UTF8.self) }
  }

  public var description: String { canonicalText }

  /// The canonical text's UTF-8 bytes, built on the stack; valid only inside `body`. Inlinable
  /// so that callers in other modules get it specialized, without generic dispatch per value.
  @inlinable
  public func withCanonicalUTF8<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    return try withUnsafeMutableBytes(of: &storage) { buffer in
      let count = writeCanonical(into: buffer)
      return try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
    }
  }

  /// Writes the canonical text (at most 26 bytes) and returns its length.
  @usableFromInline
  func writeCanonical(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    CanonicalDigits.writeDate(year: year, month: month, day: day, into: buffer)
    buffer[10] = 0x20
    CanonicalDigits.write(hour, width: 2, into: buffer, at: 11)
    buffer[13] = 0x3A
    CanonicalDigits.write(minute, width: 2, into: buffer, at: 14)
    buffer[16] = 0x3A
    CanonicalDigits.write(second, width: 2, into: buffer, at: 17)
    guard microsecond != 0 else { return 19 }
    buffer[19] = 0x2E
    CanonicalDigits.write(microsecond, width: 6, into: buffer, at: 20)
    return 26
  }

  public static func < (lhs: LMSTimestamp, rhs: LMSTimestamp) -> Bool {
    if (lhs.year, lhs.month, lhs.day) != (rhs.year, rhs.month, rhs.day) {
      return (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
    return (lhs.hour, lhs.minute, lhs.second, lhs.microsecond)
      < (rhs.hour, rhs.minute, rhs.second, rhs.microsecond)
  }
}
