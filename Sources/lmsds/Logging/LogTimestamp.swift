import Foundation
import Store

/// A log line's time: ISO 8601 in UTC with milliseconds (`2026-12-03T12:31:00.123Z`).
///
/// Built from the ledger's own UTC rendering: `ISO8601DateFormatter.string(from:timeZone:
/// formatOptions:)` creates an ICU formatter on every call, a fifth of a worker's CPU when it logs
/// a line per file.
enum LogTimestamp {
  static func text(_ date: Date) -> String {
    // "YYYY-MM-DD HH:MM:SS.ffffff" → its date, "T", its time to the millisecond, "Z".
    let canonical = CanonicalTime.text(date)
    return canonical.prefix(10) + "T" + canonical.dropFirst(11).prefix(12) + "Z"
  }
}
