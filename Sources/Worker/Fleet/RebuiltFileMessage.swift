import Messages
import Store

/// The message a rejection arrived as, rebuilt from its ledger row for a dead letter sent after
/// the original bytes are gone (by the sweep, from another process). The row holds everything the
/// message claimed — identity, size, name timestamp, scan, replay — except when it was published:
/// the rejection's start stands in for that. A forced replay is not recorded, so `force` is false.
enum RebuiltFileMessage {
  static func of(_ entry: LedgerEntry) -> FileMessage {
    var message = FileMessage(
      provider: entry.provider, resource: entry.resource, relativePath: entry.relativePath,
      size: entry.size, sha256: entry.sha256, nameTimestamp: entry.nameTimestamp,
      scanId: entry.scanID ?? "", replay: entry.replay, publishedAt: .distantPast)
    message.publishedAt = iso8601(ledgerTime: entry.startedAt) ?? message.publishedAt
    return message
  }

  /// `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC, as the ledger returns it) as the message's ISO-8601
  /// form, to the millisecond.
  static func iso8601(ledgerTime: String) -> String? {
    guard let canonical = LedgerTimeText.canonical(ledgerTime) else { return nil }
    let characters = Array(canonical)
    let date = String(characters[0..<10])
    let time = String(characters[11..<19])
    let milliseconds = String(characters[20..<23])
    return "\(date)T\(time).\(milliseconds)Z"
  }
}
