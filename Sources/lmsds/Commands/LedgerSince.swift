import Foundation
import Producer

/// `ledger --since`: a moment (ISO 8601, `YYYY-MM-DD[ HH:MM[:SS]]`, UTC unless a zone is given)
/// or a span back from now (`36h`, `2d`, `90m`), since "what happened since last night" is the
/// usual question.
enum LedgerSince {
  static func parse(_ text: String, now: Date = Date()) -> Date? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let unit = trimmed.last, let amount = Double(trimmed.dropLast()), amount >= 0 {
      let seconds: Double? =
        switch unit {
        case "m": 60
        case "h": 3600
        case "d": 86400
        default: nil
        }
      if let seconds { return now.addingTimeInterval(-amount * seconds) }
    }
    return ReplayStart.parse(trimmed)
  }
}
