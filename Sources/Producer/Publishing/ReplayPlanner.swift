import Foundation
import Kafka
import Messages
import Store

/// Decides what `lmsds replay` publishes again, from the provider's partition read back and,
/// where the topic may have lost files, the ledger. Pure: no I/O, so every rule is testable.
///
/// Rules:
/// - only messages keyed with the provider count; other providers sharing the partition are
///   read past and never re-published (that is why replay is not an offset reset);
/// - a message published before `from` is skipped even when the broker's offset lookup returned
///   an earlier offset (Tansu answers 0, the mock cluster the end);
/// - each identity is published once, however often the topic holds it, with each size a
///   message claimed for it: a message that lied about the size must not stand in for the
///   genuine one (a worker refuses it and applies the genuine one);
/// - ledger rows of mismatched messages are no arrivals of a file and are not replayed;
/// - the files are put in load-semantics §3 order (resource rank, name timestamp, path), the
///   order one scan finding all of them would give. Topic order is not used: after an earlier
///   replay or a republish the topic holds some files twice, and first or last occurrence can
///   both put an old snapshot of a scope after a newer one. Sorted, each scope's newest snapshot
///   comes last, which is what makes "the newest snapshot decides" hold for `--force`;
/// - when the topic holds none of the provider's files since `from`, or may have lost some
///   (its oldest retained message is newer than `from`), the ledger's arrivals since `from`
///   fill in what the topic lacks.
public struct ReplayPlanner: Sendable {
  public let provider: ProviderName
  /// `nil`: from the oldest message the topic holds.
  public let from: Date?

  public init(provider: ProviderName, from: Date?) {
    self.provider = provider
    self.from = from
  }

  var fromMs: Int64? { from.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) } }

  /// - Parameters:
  ///   - messages: the provider's partition from the start offset to its end, in offset order.
  ///   - topicMayMissFiles: retention removed messages that may be newer than `from`.
  ///   - ledgerSince: the provider's ledger rows since `from`; called only when needed.
  public func plan(
    messages: [KafkaMessage], topicMayMissFiles: Bool, ledgerSince: () throws -> [LedgerEntry]
  ) rethrows -> ReplayPlan {
    var plan = ReplayPlan()
    var seen: Set<Claim> = []
    var files: [ReplayFile] = []
    let key = FileMessage.key(for: provider)
    for message in messages {
      guard message.key == key else {
        plan.otherProviders += 1
        continue
      }
      if let fromMs, let time = message.timestampMs, time < fromMs {
        plan.beforeStart += 1
        continue
      }
      let decoded: FileMessage
      do {
        decoded = try FileMessage.decode(message.value)
      } catch {
        plan.unreadable.append("offset \(message.offset): \(error)")
        continue
      }
      guard decoded.provider == provider else {
        plan.unreadable.append(
          "offset \(message.offset): keyed \(provider) but names provider \(decoded.provider)")
        continue
      }
      guard seen.insert(Claim(identity: decoded.identity, size: decoded.size)).inserted else {
        plan.duplicates += 1
        continue
      }
      files.append(
        ReplayFile(
          provider: provider, resource: decoded.resource, relativePath: decoded.relativePath,
          size: decoded.size, sha256: decoded.sha256, nameTimestamp: decoded.nameTimestamp,
          source: .topic(offset: message.offset.rawValue)))
    }

    if files.isEmpty || topicMayMissFiles {
      plan.consultedLedger = true
      let since = from.map(CanonicalTime.text)
      for entry in try ledgerSince() where entry.provider == provider && !entry.mismatched {
        if let since, let started = LedgerTimeText.canonical(entry.startedAt), started < since {
          continue
        }
        let identity = FileIdentity(
          provider: provider, relativePath: entry.relativePath, sha256: entry.sha256)
        guard seen.insert(Claim(identity: identity, size: entry.size)).inserted else { continue }
        files.append(
          ReplayFile(
            provider: provider, resource: entry.resource, relativePath: entry.relativePath,
            size: entry.size, sha256: entry.sha256, nameTimestamp: entry.nameTimestamp,
            source: .ledger))
      }
    }
    plan.files = files.sorted(by: ReplayFile.applyOrder)
    return plan
  }
}

/// What one message says of a file: its identity and its size.
private struct Claim: Hashable {
  let identity: FileIdentity
  let size: Int64
}
