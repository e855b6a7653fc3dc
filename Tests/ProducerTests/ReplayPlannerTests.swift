import Foundation
import Kafka
import Messages
import Store
import Testing

@testable import Producer

private func sha(_ seed: Character) -> SHA256Digest {
  SHA256Digest(hex: String(repeating: String(seed), count: 64))!
}

private func fileMessage(
  _ provider: ProviderName, _ path: String, sha seed: Character = "a", replay: Bool = false
) -> FileMessage {
  let location = ResourceLocation(relativePath: path)!
  return FileMessage(
    provider: provider, resource: location.resource, relativePath: path, size: 5, sha256: sha(seed),
    nameTimestamp: location.nameTimestamp, scanId: "s", replay: replay, publishedAt: Date())
}

private func kafkaMessage(_ message: FileMessage, offset: Int64, at ms: Int64, key: String? = nil)
  -> KafkaMessage
{
  KafkaMessage(
    topic: "lms.files", partition: 0, offset: Offset(offset),
    key: Array((key ?? message.provider.rawValue).utf8),
    value: message.encode(), timestampMs: ms)
}

private func ledgerRow(
  _ path: String, sha seed: Character = "a", provider: ProviderName = "p", at started: String
)
  -> LedgerEntry
{
  let location = ResourceLocation(relativePath: path)!
  return LedgerEntry(
    provider: provider, resource: location.resource, relativePath: path, sha256: sha(seed), size: 5,
    nameTimestamp: location.nameTimestamp, scopeKey: location.scopeKey, outcome: .loaded,
    startedAt: started)
}

@Suite struct ReplayPlannerTests {
  @Test func onlyTheProvidersMessagesAreReplayedAndOthersOnThePartitionAreLeftAlone() throws {
    let messages = [
      kafkaMessage(fileMessage("p", "users/2021-01-01-00-00-00.csv"), offset: 0, at: 1000),
      kafkaMessage(fileMessage("q", "users/2021-01-01-00-00-00.csv"), offset: 1, at: 1001),
      kafkaMessage(fileMessage("p", "sections/2021-01-01-00-00-00.csv"), offset: 2, at: 1002),
      kafkaMessage(fileMessage("pp", "users/2021-01-02-00-00-00.csv"), offset: 3, at: 1003),
    ]
    let plan = ReplayPlanner(provider: "p", from: nil).plan(
      messages: messages, topicMayMissFiles: false
    ) {
      Issue.record("the ledger is not needed when the topic holds files")
      return []
    }
    #expect(
      plan.files.map(\.relativePath) == [
        "users/2021-01-01-00-00-00.csv", "sections/2021-01-01-00-00-00.csv",
      ])
    #expect(plan.files.map(\.source) == [.topic(offset: 0), .topic(offset: 2)])
    #expect(plan.otherProviders == 2)
    #expect(!plan.consultedLedger)
  }

  @Test func messagesBeforeTheStartAreSkippedWhateverOffsetTheBrokerGave() {
    let messages = [
      kafkaMessage(fileMessage("p", "users/2021-01-01-00-00-00.csv"), offset: 0, at: 1_000),
      kafkaMessage(fileMessage("p", "users/2021-01-02-00-00-00.csv"), offset: 1, at: 5_000),
      kafkaMessage(fileMessage("p", "users/2021-01-03-00-00-00.csv"), offset: 2, at: 9_000),
    ]
    let plan = ReplayPlanner(provider: "p", from: Date(timeIntervalSince1970: 5))
      .plan(messages: messages, topicMayMissFiles: false) { [] }
    #expect(
      plan.files.map(\.relativePath) == [
        "users/2021-01-02-00-00-00.csv", "users/2021-01-03-00-00-00.csv",
      ])
    #expect(plan.beforeStart == 1)
  }

  /// After an earlier replay the topic holds files twice; each is sent once, in §3 order, so each
  /// scope's newest snapshot comes last.
  @Test func repeatedIdentitiesAreSentOnceInApplyOrder() {
    let u1 = fileMessage("p", "users/2021-01-01-00-00-00.csv")
    let u2 = fileMessage("p", "users/2021-01-02-00-00-00.csv")
    let s1 = fileMessage("p", "sections/2021-01-01-00-00-00.csv")
    let u3 = fileMessage("p", "users/2021-01-03-00-00-00.csv")
    let messages = [
      kafkaMessage(u2, offset: 0, at: 10), kafkaMessage(u3, offset: 1, at: 11),
      // an earlier replay from u1
      kafkaMessage(u1, offset: 2, at: 20), kafkaMessage(s1, offset: 3, at: 21),
      kafkaMessage(u2, offset: 4, at: 22), kafkaMessage(u3, offset: 5, at: 23),
    ]
    let plan = ReplayPlanner(provider: "p", from: nil).plan(
      messages: messages, topicMayMissFiles: false
    ) { [] }
    #expect(
      plan.files.map(\.relativePath) == [
        "users/2021-01-01-00-00-00.csv", "users/2021-01-02-00-00-00.csv",
        "users/2021-01-03-00-00-00.csv",
        "sections/2021-01-01-00-00-00.csv",
      ])
    #expect(plan.duplicates == 2)
    // The same path with other bytes is another identity, sent too.
    let changed = fileMessage("p", "users/2021-01-01-00-00-00.csv", sha: "b")
    let withChange = ReplayPlanner(provider: "p", from: nil)
      .plan(
        messages: messages + [kafkaMessage(changed, offset: 6, at: 30)], topicMayMissFiles: false
      ) { [] }
    #expect(withChange.files.count == 5)
  }

  /// A message that lied about a file's size, earlier in the topic than the genuine one, does not
  /// stand in for it: both are sent (a worker refuses the first). A ledger row of such a message
  /// is no arrival of the file and is not sent at all.
  @Test func aForgedSizeDoesNotStandInForTheGenuineMessage() {
    let genuine = fileMessage("p", "users/2021-01-01-00-00-00.csv")
    var forged = genuine
    forged.size += 1
    let plan = ReplayPlanner(provider: "p", from: nil).plan(
      messages: [kafkaMessage(forged, offset: 0, at: 1), kafkaMessage(genuine, offset: 1, at: 2)],
      topicMayMissFiles: false
    ) { [] }
    #expect(Set(plan.files.map(\.size)) == [genuine.size, forged.size])
    #expect(plan.duplicates == 0)

    var mismatched = ledgerRow("users/2021-01-02-00-00-00.csv", at: "2024-05-01 00:00:00")
    mismatched.outcome = .rejected
    mismatched.size += 1
    mismatched.mismatched = true
    let fromLedger = ReplayPlanner(provider: "p", from: nil).plan(
      messages: [], topicMayMissFiles: false
    ) { [mismatched, ledgerRow("users/2021-01-02-00-00-00.csv", at: "2024-05-01 00:00:01")] }
    #expect(fromLedger.files.map(\.size) == [5])
  }

  @Test func unreadableMessagesAreReportedNotSent() {
    let good = kafkaMessage(fileMessage("p", "users/2021-01-01-00-00-00.csv"), offset: 0, at: 1)
    let garbage = KafkaMessage(
      topic: "lms.files", partition: 0, offset: 1, key: Array("p".utf8), value: Array("{".utf8))
    let wrongName = kafkaMessage(
      fileMessage("q", "users/2021-01-02-00-00-00.csv"), offset: 2, at: 2, key: "p")
    let plan = ReplayPlanner(provider: "p", from: nil).plan(
      messages: [good, garbage, wrongName], topicMayMissFiles: false
    ) { [] }
    #expect(plan.files.count == 1)
    #expect(plan.unreadable.count == 2)
    #expect(plan.unreadable[0].hasPrefix("offset 1:"))
  }

  @Test func whenTheTopicHoldsNothingTheLedgerSinceTheStartIsUsed() {
    let rows = [
      ledgerRow("users/2021-01-01-00-00-00.csv", at: "2024-04-30 23:59:59.000000"),
      ledgerRow("sections/2021-01-01-00-00-00.csv", at: "2024-05-01 00:00:00.000000"),
      ledgerRow("users/2021-01-02-00-00-00.csv", at: "2024-05-02 10:00:00"),
      ledgerRow("users/2021-01-02-00-00-00.csv", at: "2024-05-02 11:00:00"),
      ledgerRow("users/2021-01-09-00-00-00.csv", provider: "q", at: "2024-05-02 11:00:00"),
    ]
    let from = ReplayStart.parse("2024-05-01")!
    let other = kafkaMessage(fileMessage("q", "users/2021-01-01-00-00-00.csv"), offset: 0, at: 1)
    let plan = ReplayPlanner(provider: "p", from: from).plan(
      messages: [other], topicMayMissFiles: false
    ) { rows }
    #expect(plan.consultedLedger)
    #expect(
      plan.files.map(\.relativePath) == [
        "users/2021-01-02-00-00-00.csv", "sections/2021-01-01-00-00-00.csv",
      ])
    #expect(plan.files.allSatisfy { $0.source == .ledger })
    #expect(plan.fromLedger == 2)
  }

  @Test func whenRetentionMayHaveRemovedFilesTheLedgerFillsTheGapOnly() {
    let kept = fileMessage("p", "users/2021-01-02-00-00-00.csv")
    let rows = [
      ledgerRow("users/2021-01-01-00-00-00.csv", at: "2024-05-01 00:00:00"),
      ledgerRow("users/2021-01-02-00-00-00.csv", at: "2024-05-02 00:00:00"),
    ]
    let plan = ReplayPlanner(provider: "p", from: nil)
      .plan(messages: [kafkaMessage(kept, offset: 100, at: 1)], topicMayMissFiles: true) { rows }
    #expect(
      plan.files.map(\.relativePath) == [
        "users/2021-01-01-00-00-00.csv", "users/2021-01-02-00-00-00.csv",
      ])
    #expect(plan.files.map(\.source) == [.ledger, .topic(offset: 100)])
  }

  @Test func replayMessagesAreMarkedAndForcedOnlyWithForce() {
    let file = ReplayFile(
      provider: "p", resource: .users, relativePath: "users/2021-01-01-00-00-00.csv", size: 5,
      sha256: sha("a"),
      nameTimestamp: NameTimestamp("2021-01-01 00:00:00")!, source: .ledger)
    let plain = file.message(scanId: "r", force: false, publishedAt: Date())
    let forced = file.message(scanId: "r", force: true, publishedAt: Date())
    #expect(plain.replay && !plain.force)
    #expect(forced.replay && forced.force)
  }
}
