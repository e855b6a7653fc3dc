import Foundation
import Messages
import Store

/// The ledger row `published` that the producer (and replay) writes once the broker holds a message.
enum PublishedEntry {
  static func make(
    _ message: FileMessage, receipt: PublishReceipt, modifiedTime: String?, publishedBy: String,
    at time: Date
  ) -> LedgerEntry {
    let location = message.location
    // Where it went, so an operator can find the message (and `replay` the offset) from the ledger.
    var note = "published to \(receipt)"
    if message.force { note += " (forced replay)" } else if message.replay { note += " (replay)" }
    return LedgerEntry(
      provider: message.provider, resource: message.resource, relativePath: message.relativePath,
      sha256: message.sha256, size: message.size, modifiedTime: modifiedTime,
      nameTimestamp: message.nameTimestamp, scopeKey: location?.scopeKey ?? "", outcome: .published,
      message: note, startedAt: CanonicalTime.text(time), appliedBy: publishedBy,
      scanID: message.scanId, replay: message.replay)
  }
}
