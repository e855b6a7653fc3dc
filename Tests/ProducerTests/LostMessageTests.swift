import ExtractorTree
import Foundation
import Kafka
import Messages
import Store
import Testing

@testable import Producer

private func published(_ path: String, note: String?, outcome: FileOutcome = .published)
  -> LedgerEntry
{
  LedgerEntry(
    provider: "p", resource: .users, relativePath: path,
    sha256: SHA256Digest(hex: String(repeating: "a", count: 64))!,
    size: 1, nameTimestamp: NameTimestamp("2021-01-01 00:00:00")!, scopeKey: "", outcome: outcome,
    message: note, startedAt: "2021-01-01 00:00:00.000000")
}

@Suite struct LostMessageFinderTests {
  @Test func readsThePlaceBackFromTheNoteTheProducerWrites() {
    #expect(
      PublishReceipt(ledgerNote: "published to lms.files[3]@17")
        == PublishReceipt(topic: "lms.files", partition: 3, offset: 17))
    #expect(
      PublishReceipt(ledgerNote: "published to t-1_x[0]@0 (replay)")
        == PublishReceipt(topic: "t-1_x", partition: 0, offset: 0))
    #expect(PublishReceipt(ledgerNote: "published to t[0]@") == nil)
    #expect(PublishReceipt(ledgerNote: "published to [0]@1") == nil)
    #expect(PublishReceipt(ledgerNote: "applied") == nil)
    let receipt = PublishReceipt(topic: "a.b", partition: 11, offset: 12345)
    #expect(PublishReceipt(ledgerNote: "published to \(receipt)") == receipt)
  }

  @Test func judgesEachOffsetAgainstItsPartitionsWatermarks() {
    let finder = LostMessageFinder(
      topic: "t",
      watermarks: [
        0: PartitionWatermarks(low: 0, high: 0), 1: PartitionWatermarks(low: 5, high: 9),
      ]
    )
    func loss(_ partition: PartitionID, _ offset: Offset) -> MessageLoss? {
      finder.loss(of: PublishReceipt(topic: "t", partition: partition, offset: offset))
    }
    // An empty broker started in the old one's place: every offset is past the end.
    #expect(loss(0, 0) == .pastEnd)
    #expect(loss(0, 40) == .pastEnd)
    #expect(loss(1, 9) == .pastEnd)
    #expect(loss(1, 8) == nil)
    #expect(loss(1, 5) == nil)
    #expect(loss(1, 4) == .beforeStart)
    #expect(loss(2, 0) == .noPartition)
    // Another topic's message is not this topic's to judge.
    #expect(finder.loss(of: PublishReceipt(topic: "u", partition: 0, offset: 7)) == nil)
  }

  @Test func picksOnlyPublishedRowsWithAPlaceThatIsGone() {
    let finder = LostMessageFinder(
      topic: "t", watermarks: [0: PartitionWatermarks(low: 0, high: 2)])
    let rows = [
      published("kept", note: "published to t[0]@1"),
      published("gone", note: "published to t[0]@2"),
      published("replayed", note: "published to t[0]@3 (replay)"),
      published("no note", note: nil),
      published("old note", note: "queued"),
      published("loaded", note: "published to t[0]@9", outcome: .loaded),
    ]
    let lost = finder.lost(rows)
    #expect(lost.map(\.entry.relativePath) == ["gone", "replayed"])
    #expect(lost.allSatisfy { $0.loss == .pastEnd })
  }
}

/// The repair inside a produce run: watermarks from a fake topic, the ledger in SQLite.
@Suite struct LostMessageRepairTests {
  @Test func aPlainRunRepublishesWhatTheTopicLostBeforeItsNewFilesAndOnlyOnce() async throws {
    let tree = try TemporaryTree()
    try tree.write("users/2021-01-01-00-00-00.csv", "h\n1\n")
    try tree.write("users/2021-01-02-00-00-00.csv", "h\n2\n")
    let store = try ScratchLedger()
    let first = RecordingPublisher()
    let root = SourceRoot(provider: "p", path: tree.path)
    _ = try await ProduceRun(
      connection: store.connection, publisher: first, logger: quietLogger, options: .init()
    ).run([root])
    #expect(first.paths.count == 2)

    // The broker came back empty; a new file arrived meanwhile.
    try tree.write("users/2021-01-03-00-00-00.csv", "h\n3\n")
    let emptyTopic = TopicProbe(topic: "t") { [0: PartitionWatermarks(low: 0, high: 0)] }
    let second = RecordingPublisher()
    let summary = try await ProduceRun(
      connection: store.connection, publisher: second, logger: quietLogger, options: .init(),
      topicProbe: emptyTopic
    ).run([root])
    #expect(
      second.paths == [
        "users/2021-01-01-00-00-00.csv", "users/2021-01-02-00-00-00.csv",
        "users/2021-01-03-00-00-00.csv",
      ])
    #expect(summary.providers["p"]?.republishedLost == 2)
    #expect(summary.providers["p"]?.published == 1)
    #expect(summary.lostFromTopic == [.pastEnd: 2])
    #expect(summary.totalPublished == 3)
    #expect(summary.render().contains("republished (lost in topic)"))
    #expect(summary.render().contains("lost in topic: 2 files, offset past the partition's end"))
    #expect(summary.renderJSON().contains(#""lost_in_topic":{"past_end":2}"#))

    // The new rows name offsets the (fake) topic now holds: nothing is sent a third time.
    let holding = TopicProbe(topic: "t") { [0: PartitionWatermarks(low: 0, high: 3)] }
    let third = RecordingPublisher()
    let again = try await ProduceRun(
      connection: store.connection, publisher: third, logger: quietLogger, options: .init(),
      topicProbe: holding
    ).run([root])
    #expect(third.messages.isEmpty)
    #expect(again.lostFromTopic.isEmpty)
  }

  @Test func oldUnappliedFilesStillInTheTopicAreCountedNotResent() async throws {
    let tree = try TemporaryTree()
    try tree.write("users/2021-01-01-00-00-00.csv", "h\n1\n", age: 3 * 3600)
    let store = try ScratchLedger()
    let root = SourceRoot(provider: "p", path: tree.path)
    let longAgo = Date().addingTimeInterval(-7200)
    _ = try await ProduceRun(
      connection: store.connection, publisher: RecordingPublisher(), logger: quietLogger,
      options: .init()
    ).run([root], now: { longAgo })
    let holding = TopicProbe(topic: "t") { [0: PartitionWatermarks(low: 0, high: 1)] }
    let publisher = RecordingPublisher()
    let summary = try await ProduceRun(
      connection: store.connection, publisher: publisher, logger: quietLogger, options: .init(),
      topicProbe: holding
    ).run([root])
    #expect(publisher.messages.isEmpty)
    #expect(summary.staleUnapplied == 1)
    #expect(summary.render().contains("published, still unapplied"))
    #expect(summary.renderJSON().contains(#""stale_unapplied":1"#))

    // A broker that cannot answer leaves a warning, and publishing goes on.
    let unreachable = TopicProbe(topic: "t") { throw PublishFailure() }
    let blind = try await ProduceRun(
      connection: store.connection, publisher: RecordingPublisher(), logger: quietLogger,
      options: .init(), topicProbe: unreachable
    ).run([root])
    #expect(blind.warnings.contains { $0.contains("cannot read the watermarks of t") })
  }
}
