import UDM

/// How one column's values travel in COPY's binary format, chosen by the column's type.
///
/// Binary spares the server parsing every value from text (a timestamp's text costs it ~90 ns, and
/// a million-row users file has four of them a row) and the client escaping every field: the
/// server took half the time of a text COPY for the same rows. Values reach the writer as the
/// loader's canonical text or as integers, and are encoded here by the column's type.
enum PostgresCopyColumn: Equatable, Sendable {
  case text
  case int2
  case int4
  case int8
  /// `timestamp` (without time zone): microseconds since 2000-01-01 00:00:00.
  case timestamp
  /// `date`: days since 2000-01-01.
  case date

  /// The kind for a column of type `oid`; nil for a type without a binary form here (then the
  /// whole COPY goes as text).
  init?(typeOID oid: Int64) {
    switch oid {
    case 25, 1043: self = .text  // text, varchar
    case 21: self = .int2
    case 23: self = .int4
    case 20: self = .int8
    case 1114: self = .timestamp
    case 1082: self = .date
    default: return nil
    }
  }

  /// 2000-01-01, PostgreSQL's epoch, in days and in microseconds since 1970-01-01.
  static let epochDays = 10_957
  static let epochMicroseconds = Int64(epochDays) * 86_400_000_000

  /// Days since PostgreSQL's epoch of a canonical date, `YYYY-MM-DD` (the year may be longer).
  static func days(canonical bytes: UnsafeRawBufferPointer) -> Int? {
    guard let dash = bytes.firstIndex(of: 0x2D), (4...6).contains(dash), bytes.count == dash + 6,
      let year = number(bytes, 0, dash), let month = number(bytes, dash + 1, 2),
      bytes[dash + 3] == 0x2D, let day = number(bytes, dash + 4, 2)
    else { return nil }
    return CivilCalendar.daysSinceEpoch(year: year, month: month, day: day) - epochDays
  }

  /// Microseconds since PostgreSQL's epoch of a canonical timestamp, `YYYY-MM-DD HH:MM:SS` with
  /// an optional fraction of up to six digits.
  static func microseconds(canonical bytes: UnsafeRawBufferPointer) -> Int64? {
    guard let space = bytes.firstIndex(of: 0x20), bytes.count >= space + 9,
      let days = days(canonical: UnsafeRawBufferPointer(rebasing: bytes[..<space])),
      let hour = number(bytes, space + 1, 2), bytes[space + 3] == 0x3A,
      let minute = number(bytes, space + 4, 2), bytes[space + 6] == 0x3A,
      let second = number(bytes, space + 7, 2)
    else { return nil }
    var fraction = 0
    let end = space + 9
    if bytes.count > end {
      let digits = bytes.count - end - 1
      guard bytes[end] == 0x2E, (1...6).contains(digits),
        let value = number(bytes, end + 1, digits)
      else { return nil }
      fraction = value
      for _ in digits..<6 { fraction *= 10 }
    }
    let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    return seconds * 1_000_000 + Int64(fraction)
  }

  /// A decimal integer, optionally signed.
  static func integer(_ bytes: UnsafeRawBufferPointer) -> Int64? {
    guard !bytes.isEmpty else { return nil }
    let negative = bytes[0] == 0x2D
    let start = negative || bytes[0] == 0x2B ? 1 : 0
    guard bytes.count > start, bytes.count - start <= 18,
      let magnitude = number(bytes, start, bytes.count - start)
    else { return nil }
    return negative ? -Int64(magnitude) : Int64(magnitude)
  }

  /// The `count` ASCII digits at `start` as a number; nil if any is not a digit.
  private static func number(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int? {
    guard count > 0, start + count <= bytes.count else { return nil }
    var value = 0
    for index in start..<(start + count) {
      let digit = bytes[index] &- 0x30
      guard digit < 10 else { return nil }
      value = value * 10 + Int(digit)
    }
    return value
  }
}
