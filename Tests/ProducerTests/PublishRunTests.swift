import ExtractorTree
import Foundation
import Messages
import Store
import Testing

@testable import Producer

private func produce(
  _ tree: TemporaryTree, _ store: ScratchLedger, _ publisher: RecordingPublisher,
  options: ProduceOptions = ProduceOptions(), now: @escaping @Sendable () -> Date = { Date() }
) async throws -> ProduceSummary {
  try await ProduceRun(
    connection: store.connection, publisher: publisher, logger: quietLogger, options: options
  )
  .run([SourceRoot(provider: "p", path: tree.path)], now: now)
}

@Suite struct PublishRunTests {
  @Test func publishesNewFilesInApplyOrderAndRecordsThemPublished() async throws {
    let tree = try makeTree()
    let store = try ScratchLedger()
    let publisher = RecordingPublisher()
    let summary = try await produce(
      tree, store, publisher, options: ProduceOptions(scanID: "scan-1"))

    #expect(publisher.paths == fourFilesInApplyOrder)
    #expect(
      publisher.messages.allSatisfy {
        $0.provider == "p" && !$0.replay && !$0.force && $0.scanId == "scan-1"
      })
    #expect(summary.providers["p"]?.published == 4)
    #expect(summary.exitCode == 0)
    let entries = try store.ledger.entries()
    #expect(entries.map(\.relativePath) == fourFilesInApplyOrder)
    #expect(
      entries.allSatisfy {
        $0.outcome == .published && $0.scanID == "scan-1" && $0.modifiedTime != nil
      })
    #expect(entries[0].message == "published to t[0]@0")
    // The message's digest is the file's.
    let digest = try FileHasher.sha256(path: tree.path + "/" + fourFilesInApplyOrder[0]).digest
    #expect(publisher.messages[0].sha256 == digest)
  }

  @Test func aSecondRunPublishesNothing() async throws {
    let tree = try makeTree()
    let store = try ScratchLedger()
    _ = try await produce(tree, store, RecordingPublisher())
    let again = RecordingPublisher()
    let summary = try await produce(tree, store, again)
    #expect(again.messages.isEmpty)
    #expect(summary.providers["p"]?.alreadyInLedger == 4)
    #expect(summary.totalPublished == 0)
    #expect(try store.ledger.entries().count == 4)
  }

  @Test func aChangedFileIsANewIdentity() async throws {
    let tree = try makeTree()
    let store = try ScratchLedger()
    _ = try await produce(tree, store, RecordingPublisher())
    try tree.write(fourFiles[0], "h\nchanged\n", age: 600)
    let again = RecordingPublisher()
    _ = try await produce(tree, store, again)
    #expect(again.paths == [fourFiles[0]])
  }

  @Test func anyLedgerRowSkipsAFileAndRetryRejectedOffersRejectedOnesOnce() async throws {
    let tree = try makeTree()
    let store = try ScratchLedger()
    try store.record(.loaded, fourFilesInApplyOrder[0], in: tree)
    try store.record(.rejected, fourFilesInApplyOrder[1], in: tree)
    try store.record(.superseded, fourFilesInApplyOrder[2], in: tree)
    try store.record(.published, fourFilesInApplyOrder[3], in: tree)

    let plain = RecordingPublisher()
    let first = try await produce(tree, store, plain)
    #expect(plain.messages.isEmpty)
    #expect(first.providers["p"]?.alreadyInLedger == 4)

    let retry = RecordingPublisher()
    let retried = try await produce(
      tree, store, retry, options: ProduceOptions(retryRejected: true))
    #expect(retry.paths == [fourFilesInApplyOrder[1]])
    #expect(retried.providers["p"]?.retried == 1)

    // Published again and not yet rejected again: nothing to retry.
    let twice = RecordingPublisher()
    _ = try await produce(tree, store, twice, options: ProduceOptions(retryRejected: true))
    #expect(twice.messages.isEmpty)
  }

  @Test func aBrokerErrorStopsWithEarlierFilesRecordedAndTheNextRunResumes() async throws {
    let tree = try makeTree()
    let store = try ScratchLedger()
    let failing = RecordingPublisher(failAt: 3)
    let summary = try await produce(tree, store, failing)
    #expect(failing.paths == Array(fourFilesInApplyOrder.prefix(2)))
    #expect(summary.exitCode == 1)
    #expect(summary.failure?.contains(fourFilesInApplyOrder[2]) == true)
    #expect(
      try store.ledger.entries().map(\.relativePath) == Array(fourFilesInApplyOrder.prefix(2)))

    let resumed = RecordingPublisher()
    _ = try await produce(tree, store, resumed)
    #expect(resumed.paths == Array(fourFilesInApplyOrder.suffix(2)))
  }

  @Test func unsettledAndUnrecognizedFilesAreReportedNotPublished() async throws {
    let tree = try makeTree()
    try tree.write("users/2021-01-03-00-00-00.csv", "h\n", age: 1)
    try tree.write("users/notes.csv", "x\n")
    let store = try ScratchLedger()
    let publisher = RecordingPublisher()
    let summary = try await produce(tree, store, publisher)
    #expect(publisher.paths == fourFilesInApplyOrder)
    #expect(summary.unsettled.count == 1)
    #expect(summary.unrecognized.count == 1)
    #expect(summary.render().contains("left to settle"))
  }

  @Test func republishUnappliedSendsOldPublishedFilesFirstAndOnlyThose() async throws {
    let tree = try makeTree()
    try tree.write("users/2021-01-05-00-00-00.csv", "h\nnew\n")
    let store = try ScratchLedger()
    let longAgo = Date().addingTimeInterval(-7200)
    try store.record(.published, "sections/2021-01-02-00-00-00.csv", in: tree, startedAt: longAgo)
    try store.record(.published, "users/2021-01-02-00-00-00.csv", in: tree, startedAt: longAgo)
    // Published long ago but applied since: not unapplied.
    try store.record(.published, "users/2021-01-01-00-00-00.csv", in: tree, startedAt: longAgo)
    try store.record(.loaded, "users/2021-01-01-00-00-00.csv", in: tree)
    // Published recently: the fleet may simply be behind.
    try store.record(.published, "section=a/assignments/2021-01-01-00-00-00.csv", in: tree)
    // Gone from disk since it was published.
    try store.ledger.record(
      LedgerEntry(
        provider: "p", resource: .users, relativePath: "users/2020-01-01-00-00-00.csv",
        sha256: SHA256Digest(hex: String(repeating: "a", count: 64))!, size: 3,
        nameTimestamp: NameTimestamp("2020-01-01 00:00:00")!, scopeKey: "", outcome: .published,
        startedAt: CanonicalTime.text(longAgo)))

    let plain = RecordingPublisher()
    _ = try await produce(tree, store, plain)
    #expect(plain.paths == ["users/2021-01-05-00-00-00.csv"])

    let republish = RecordingPublisher()
    let summary = try await produce(
      tree, store, republish,
      options: ProduceOptions(republishUnapplied: true, unappliedAfter: 3600))
    #expect(
      republish.paths == ["users/2021-01-02-00-00-00.csv", "sections/2021-01-02-00-00-00.csv"])
    #expect(summary.providers["p"]?.republished == 2)
    #expect(summary.unappliedNotOnDisk == ["p/users/2020-01-01-00-00-00.csv"])

    // Their new `published` rows are recent: the next run waits again.
    let again = RecordingPublisher()
    _ = try await produce(
      tree, store, again, options: ProduceOptions(republishUnapplied: true, unappliedAfter: 3600))
    #expect(again.messages.isEmpty)
  }

  @Test func aProviderWithoutHistoryBesideOthersIsReported() async throws {
    let store = try ScratchLedger()
    let old = try makeTree()
    let renamed = try makeTree()
    _ = try await ProduceRun(
      connection: store.connection, publisher: RecordingPublisher(), logger: quietLogger,
      options: .init()
    )
    .run([SourceRoot(provider: "old", path: old.path)])
    let summary = try await ProduceRun(
      connection: store.connection, publisher: RecordingPublisher(), logger: quietLogger,
      options: .init()
    ).run([
      SourceRoot(provider: "old", path: old.path),
      SourceRoot(provider: "renamed", path: renamed.path),
    ])
    #expect(summary.providersWithoutHistory == ["renamed"])
    #expect(summary.providers["renamed"]?.published == 4)
    #expect(summary.providers["old"]?.alreadyInLedger == 4)
  }

  @Test func ledgerTimesFromAnyDriverCompareWithDiskTimes() {
    let seen = Date(timeIntervalSince1970: 1_600_000_000.5)
    #expect(LedgerTimeText.sameInstant(stored: "2020-09-13 12:26:40.5", seen: seen))
    #expect(LedgerTimeText.sameInstant(stored: "2020-09-13 12:26:40.500000", seen: seen))
    #expect(LedgerTimeText.sameInstant(stored: "2020-09-13 12:26:40.5000000", seen: seen))
    #expect(!LedgerTimeText.sameInstant(stored: "2020-09-13 12:26:40", seen: seen))
    #expect(
      LedgerTimeText.sameInstant(
        stored: "2020-09-13 12:26:40", seen: Date(timeIntervalSince1970: 1_600_000_000)))
  }
}
