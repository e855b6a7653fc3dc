import Foundation
import Messages
import Store

/// Ledger times and snapshot names as instants, so the pages can measure gaps and ages.
enum LedgerInstant {
  private static let calendar: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
  }()

  /// A ledger time as any driver returns it (UTC, without a zone); to the second.
  static func date(_ stored: String) -> Date? {
    guard let canonical = LedgerTimeText.canonical(stored),
      let stamp = NameTimestamp(String(canonical.prefix(19)))
    else { return nil }
    return date(stamp)
  }

  static func date(_ stamp: NameTimestamp) -> Date? {
    calendar.date(
      from: DateComponents(
        year: stamp.year, month: stamp.month, day: stamp.day, hour: stamp.hour,
        minute: stamp.minute, second: stamp.second))
  }

  /// A duration as a person reads it on the page: hours up to three days, then days.
  static func ageText(_ seconds: TimeInterval) -> String {
    let hours = Int((seconds / 3600).rounded(.down))
    if hours < 72 { return hours == 1 ? "1 hour" : "\(hours) hours" }
    return "\(hours / 24) days"
  }
}
