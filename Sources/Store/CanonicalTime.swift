import Foundation
import UDM

/// Times as the database stores them: UTC text `YYYY-MM-DD HH:MM:SS.ffffff`.
public enum CanonicalTime {
  public static func now() -> String { text(Date()) }

  public static func text(_ date: Date) -> String {
    let interval = date.timeIntervalSince1970
    var seconds = Int(interval.rounded(.down))
    var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
    if micros >= 1_000_000 {
      seconds += 1
      micros -= 1_000_000
    }
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = CivilCalendar.date(daysSinceEpoch: days)
    func pad(_ value: Int, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) "
      + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
      + ".\(pad(micros, 6))"
  }
}
