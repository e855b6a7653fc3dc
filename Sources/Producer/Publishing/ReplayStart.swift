import Foundation

/// Parses `replay --from`: ISO 8601 (`2024-05-01T02:00:00Z`, with or without fraction or zone),
/// or `YYYY-MM-DD` / `YYYY-MM-DD HH:MM[:SS]`. A time without a zone is UTC, as every time the
/// ledger shows is.
public enum ReplayStart {
  public static func parse(_ text: String) -> Date? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    for style in [
      Date.ISO8601FormatStyle(includingFractionalSeconds: true),
      Date.ISO8601FormatStyle(),
    ] {
      if let date = try? style.parse(trimmed) { return date }
    }
    return parsePlain(trimmed)
  }

  /// `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]]` in UTC.
  private static func parsePlain(_ text: String) -> Date? {
    let bytes = Array(text.utf8)
    func number(_ start: Int, _ length: Int) -> Int? {
      guard start + length <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[start..<(start + length)] {
        guard (0x30...0x39).contains(byte) else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      return value
    }
    guard bytes.count >= 10, bytes[4] == 0x2D, bytes[7] == 0x2D, let year = number(0, 4),
      let month = number(5, 2), let day = number(8, 2)
    else { return nil }
    var hour = 0
    var minute = 0
    var second = 0.0
    if bytes.count > 10 {
      guard bytes.count >= 16, bytes[10] == 0x20 || bytes[10] == 0x54, bytes[13] == 0x3A,
        let h = number(11, 2), let m = number(14, 2)
      else { return nil }
      (hour, minute) = (h, m)
      if bytes.count > 16 {
        guard bytes[16] == 0x3A, let s = number(17, 2) else { return nil }
        second = Double(s)
        if bytes.count > 19 {
          guard bytes[19] == 0x2E, bytes.count > 20,
            let fraction = Double("0." + String(decoding: bytes[20...], as: UTF8.self))
          else { return nil }
          second += fraction
        }
      }
    }
    guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
      (0...59).contains(minute), second < 60
    else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
    guard let date = calendar.date(from: components),
      calendar.component(.day, from: date) == day
    else { return nil }
    return date.addingTimeInterval(second)
  }
}
