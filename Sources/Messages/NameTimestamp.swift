/// The moment a file was written, taken from its name `YYYY-MM-DD-HH-MM-SS.csv`.
///
/// Kept as its six numbers so that it compares in time order and prints without any zone logic.
public struct NameTimestamp: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int
  public let hour: Int
  public let minute: Int
  public let second: Int

  public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
    guard (1...9999).contains(year), (1...12).contains(month), (0...23).contains(hour),
      (0...59).contains(minute), (0...59).contains(second),
      (1...Self.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    (self.year, self.month, self.day) = (year, month, day)
    (self.hour, self.minute, self.second) = (hour, minute, second)
  }

  /// Parses a file name such as `2021-03-09-16-44-33.csv` (extension in any case).
  public init?(fileName: String) {
    let utf8 = Array(fileName.utf8)
    guard utf8.count == 23, String(decoding: utf8[19...], as: UTF8.self).lowercased() == ".csv"
    else { return nil }
    // A file name has dashes only: `2021-03-09 16:44:33.csv` is not an extractor's name.
    self.init(digits: utf8[0..<19], fileNameForm: true)
  }

  /// Parses `YYYY-MM-DD-HH-MM-SS`, or the SQL form `YYYY-MM-DD HH:MM:SS` the ledger stores.
  public init?(_ text: String) {
    let utf8 = Array(text.utf8)
    guard utf8.count == 19 else { return nil }
    self.init(digits: utf8[...], fileNameForm: false)
  }

  private init?(digits: ArraySlice<UInt8>, fileNameForm: Bool) {
    let bytes = Array(digits)
    func number(_ start: Int, _ length: Int) -> Int? {
      var value = 0
      for byte in bytes[start..<(start + length)] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }
    let separators: [(Int, Set<UInt8>)] =
      fileNameForm
      ? [(4, [0x2D]), (7, [0x2D]), (10, [0x2D]), (13, [0x2D]), (16, [0x2D])]
      : [
        (4, [0x2D]), (7, [0x2D]), (10, [0x2D, 0x20, 0x54]), (13, [0x2D, 0x3A]), (16, [0x2D, 0x3A]),
      ]
    for (index, allowed) in separators where !allowed.contains(bytes[index]) { return nil }
    guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
    else { return nil }
    self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// `YYYY-MM-DD HH:MM:SS`, the form stored in the ledger.
  public var sqlText: String {
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return
      "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
  }

  public var description: String { sqlText }

  public static func < (lhs: Self, rhs: Self) -> Bool {
    (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
      < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let value = NameTimestamp(text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not a timestamp: \(text)"))
    }
    self = value
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(sqlText)
  }
}
