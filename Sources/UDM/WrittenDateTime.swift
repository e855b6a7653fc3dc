/// A timestamp or date exactly as an extractor wrote it (lms-udm §2), validated but not yet
/// converted: `LMSTimestamp` moves it to UTC, `LMSDate` keeps its date part.
///
/// Accepted, after the whitespace rule: `YYYY-M-D` or `M/D/YYYY`, then optionally a space or
/// `T` and `H:MM[:SS[.f]]` (1–9 fraction digits, ISO form only), then optionally one space and a
/// zone `Z`, `±HH`, `±HH:MM` or `±HHMM`. A zone needs a time before it. `T` and `Z` may also be
/// lower case, as RFC 3339 allows.
struct WrittenDateTime {
  var year: Int
  var month: Int
  var day: Int
  var hour = 0
  var minute = 0
  var second = 0
  /// Rounded half-up from the written fraction; 1_000_000 when rounding carries into the second.
  var microsecond = 0
  /// East of UTC, in minutes; `nil` when no zone was written.
  var offsetMinutes: Int?

  static func parse(_ bytes: UnsafeRawBufferPointer) -> WrittenDateTime? {
    let trimmed = ValueWhitespace.trimmed(bytes)
    if ValueWhitespace.isNormalized(trimmed) { return parseNormalized(trimmed) }
    var storage: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
    return withUnsafeMutableBytes(of: &storage) { target -> WrittenDateTime? in
      guard let count = ValueWhitespace.normalize(trimmed, into: target) else { return nil }
      return parseNormalized(UnsafeRawBufferPointer(rebasing: target[..<count]))
    }
  }

  private static func parseNormalized(_ text: UnsafeRawBufferPointer) -> WrittenDateTime? {
    var scanner = Scanner(text: text)
    guard let first = scanner.number(maxDigits: 4) else { return nil }
    var result: WrittenDateTime
    let isUSForm: Bool
    if first.digits == 4 && scanner.take(0x2D) {  // YYYY-M-D
      guard let month = scanner.number(maxDigits: 2), scanner.take(0x2D),
        let day = scanner.number(maxDigits: 2)
      else { return nil }
      result = WrittenDateTime(year: first.value, month: month.value, day: day.value)
      isUSForm = false
    } else if first.digits <= 2 && scanner.take(0x2F) {  // M/D/YYYY
      guard let day = scanner.number(maxDigits: 2), scanner.take(0x2F),
        let year = scanner.number(maxDigits: 4), year.digits == 4
      else { return nil }
      result = WrittenDateTime(year: year.value, month: first.value, day: day.value)
      isUSForm = true
    } else {
      return nil
    }
    guard CivilCalendar.isValid(year: result.year, month: result.month, day: result.day) else {
      return nil
    }
    if scanner.atEnd { return result }

    guard scanner.take(0x20) || scanner.take(0x54) || scanner.take(0x74) else { return nil }
    guard let hour = scanner.number(maxDigits: 2), hour.value <= 23, scanner.take(0x3A),
      let minute = scanner.number(maxDigits: 2), minute.digits == 2, minute.value <= 59
    else { return nil }
    result.hour = hour.value
    result.minute = minute.value
    if scanner.take(0x3A) {
      guard let second = scanner.number(maxDigits: 2), second.digits == 2, second.value <= 59
      else { return nil }
      result.second = second.value
      if scanner.take(0x2E) {
        guard !isUSForm, let fraction = scanner.fraction() else { return nil }
        result.microsecond = fraction
      }
    }
    if scanner.atEnd { return result }

    _ = scanner.take(0x20)
    if scanner.take(0x5A) || scanner.take(0x7A) {
      result.offsetMinutes = 0
    } else {
      let sign: Int
      if scanner.take(0x2B) {
        sign = 1
      } else if scanner.take(0x2D) {
        sign = -1
      } else {
        return nil
      }
      // Exactly two digits each, so that `±HHMM` splits.
      guard let hours = scanner.twoDigits(), hours <= 23 else { return nil }
      var minutes = 0
      if scanner.take(0x3A) || !scanner.atEnd {
        guard let written = scanner.twoDigits(), written <= 59 else { return nil }
        minutes = written
      }
      result.offsetMinutes = sign * (hours * 60 + minutes)
    }
    return scanner.atEnd ? result : nil
  }

  private struct Scanner {
    let text: UnsafeRawBufferPointer
    var index = 0

    init(text: UnsafeRawBufferPointer) { self.text = text }

    var atEnd: Bool { index == text.count }

    mutating func take(_ byte: UInt8) -> Bool {
      guard index < text.count, text[index] == byte else { return false }
      index += 1
      return true
    }

    /// A run of 1...maxDigits ASCII digits; a longer run is malformed, not split.
    mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
      var value = 0
      var digits = 0
      while index < text.count, case let digit = text[index] &- 0x30, digit < 10 {
        guard digits < maxDigits else { return nil }
        value = value * 10 + Int(digit)
        digits += 1
        index += 1
      }
      return digits == 0 ? nil : (value, digits)
    }

    mutating func twoDigits() -> Int? {
      guard index + 2 <= text.count else { return nil }
      let tens = text[index] &- 0x30
      let units = text[index + 1] &- 0x30
      guard tens < 10, units < 10 else { return nil }
      index += 2
      return Int(tens) * 10 + Int(units)
    }

    /// 1–9 fraction digits as microseconds, rounded half-up on the seventh digit.
    mutating func fraction() -> Int? {
      var micro = 0
      var digits = 0
      var roundUp = false
      while index < text.count, case let digit = text[index] &- 0x30, digit < 10 {
        guard digits < 9 else { return nil }
        if digits < 6 {
          micro = micro * 10 + Int(digit)
        } else if digits == 6 {
          roundUp = digit >= 5
        }
        digits += 1
        index += 1
      }
      guard digits > 0 else { return nil }
      for _ in digits..<max(digits, 6) { micro *= 10 }
      return micro + (roundUp ? 1 : 0)
    }
  }
}
