import ExtractorTree
import Foundation
import Kafka
import Messages
import Store
import Testing

@testable import Producer

/// `replay` end to end on librdkafka's mock cluster: produce, read back, publish again.
/// (The mock answers every offset-for-time lookup with the end, so these also cover the
/// fallback to reading from the oldest message and filtering by timestamp.)
@Suite(.serialized, .timeLimit(.minutes(2))) struct ReplayKafkaTests {
  let cluster: MockKafkaCluster
  var configuration: KafkaConfiguration { testKafkaConfiguration(cluster.bootstrapServers) }
  init() throws { cluster = try MockKafkaCluster(brokers: 1) }

  private func tree(_ files: [String], tag: String) throws -> TemporaryTree {
    let tree = try TemporaryTree()
    for path in files { try tree.write(path, "\(tag) \(path)\n") }
    return tree
  }

  private func produce(_ roots: [SourceRoot], _ store: ScratchLedger, topic: TopicName) async throws
  {
    let publisher = try KafkaFilePublisher(configuration: configuration, topic: topic)
    defer { publisher.close() }
    _ = try await ProduceRun(
      connection: store.connection, publisher: publisher, logger: quietLogger, options: .init()
    )
    .run(roots)
  }

  private func readAll(_ topic: TopicName) throws -> [KafkaMessage] {
    let reader = try KafkaPartitionReader(
      configuration: configuration, topicPartition: TopicPartition(topic, 0), from: .beginning)
    defer { reader.close() }
    return try reader.readToEnd()
  }

  private func replay(
    _ provider: ProviderName, from: Date?, force: Bool, store: ScratchLedger, topic: TopicName,
    root: SourceRoot? = nil
  ) async throws -> ReplayRun.Result {
    let partition = try ProviderPartition.read(
      configuration: configuration, topic: topic, provider: provider, from: from)
    let publisher = try KafkaFilePublisher(configuration: configuration, topic: topic)
    defer { publisher.close() }
    return try await ReplayRun(
      connection: store.connection, publisher: publisher, logger: quietLogger, force: force,
      root: root
    ).run(provider: provider, from: from, partition: partition)
  }

  @Test func replayRepublishesOnlyTheProvidersFilesMarkedAndInOrder() async throws {
    let topic = uniqueTopic("replay")
    try cluster.createTopic(topic, partitions: 1)  // p and q share the partition
    let store = try ScratchLedger()
    let p = try tree(
      ["sections/2021-01-01-00-00-00.csv", "users/2021-01-01-00-00-00.csv"], tag: "p")
    let q = try tree(["users/2021-01-01-00-00-00.csv"], tag: "q")
    try await produce(
      [SourceRoot(provider: "p", path: p.path), SourceRoot(provider: "q", path: q.path)], store,
      topic: topic)
    #expect(try readAll(topic).count == 3)

    let result = try await replay("p", from: nil, force: true, store: store, topic: topic)
    #expect(result.exitCode == 0)
    #expect(
      result.published.map(\.relativePath) == [
        "users/2021-01-01-00-00-00.csv", "sections/2021-01-01-00-00-00.csv",
      ])
    #expect(result.plan.otherProviders == 1)

    let all = try readAll(topic)
    #expect(all.count == 5)
    let appended = try all.suffix(2).map { try FileMessage.decode($0.value) }
    #expect(
      appended.map(\.relativePath) == [
        "users/2021-01-01-00-00-00.csv", "sections/2021-01-01-00-00-00.csv",
      ])
    #expect(appended.allSatisfy { $0.provider == "p" && $0.replay && $0.force })
    #expect(all.suffix(2).allSatisfy { $0.keyString == "p" })
    #expect(all.filter { $0.keyString == "q" }.count == 1)

    let replayRows = try store.ledger.entries(provider: "p").filter(\.replay)
    #expect(replayRows.count == 2 && replayRows.allSatisfy { $0.outcome == .published })

    // A second replay reads its own earlier replay back and still sends each file once.
    let again = try await replay("p", from: nil, force: false, store: store, topic: topic)
    #expect(again.published.count == 2)
    #expect(again.plan.duplicates == 2)
    let last = try readAll(topic).suffix(2).map { try FileMessage.decode($0.value) }
    #expect(last.allSatisfy { $0.replay && !$0.force })
  }

  @Test func replayFromATimeSkipsEarlierMessages() async throws {
    let topic = uniqueTopic("replay-from")
    try cluster.createTopic(topic, partitions: 1)
    let store = try ScratchLedger()
    let root = try tree(["users/2021-01-01-00-00-00.csv"], tag: "p")
    let source = SourceRoot(provider: "p", path: root.path)
    try await produce([source], store, topic: topic)
    try await Task.sleep(for: .milliseconds(50))
    let between = Date()
    try await Task.sleep(for: .milliseconds(50))
    try root.write("users/2021-01-02-00-00-00.csv", "p later\n")
    try await produce([source], store, topic: topic)

    let result = try await replay("p", from: between, force: false, store: store, topic: topic)
    #expect(result.published.map(\.relativePath) == ["users/2021-01-02-00-00-00.csv"])
    #expect(result.plan.beforeStart == 1)
    #expect(!result.plan.consultedLedger)

    let later = try await replay(
      "p", from: Date().addingTimeInterval(60), force: false, store: store, topic: topic)
    #expect(later.published.isEmpty)
    #expect(later.plan.consultedLedger)
  }

  @Test func filesTheTopicNoLongerHoldsComeFromTheLedgerAndAreReReadUnderTheRoot() async throws {
    let topic = uniqueTopic("replay-lost")
    try cluster.createTopic(topic, partitions: 1)  // a new, empty topic: the old one is gone
    let store = try ScratchLedger()
    let root = try tree(
      [
        "users/2021-01-01-00-00-00.csv", "sections/2021-01-01-00-00-00.csv",
        "users/2021-01-02-00-00-00.csv",
      ],
      tag: "p")
    for path in [
      "sections/2021-01-01-00-00-00.csv", "users/2021-01-01-00-00-00.csv",
      "users/2021-01-02-00-00-00.csv",
    ] {
      try store.record(.loaded, path, in: root)
    }
    // Rewritten since it was loaded: the ledger's bytes are gone.
    try root.write("users/2021-01-02-00-00-00.csv", "rewritten\n")

    await #expect(throws: ReplayError.self) {
      _ = try await replay("p", from: nil, force: true, store: store, topic: topic)
    }

    let source = SourceRoot(provider: "p", path: root.path)
    let result = try await replay(
      "p", from: nil, force: true, store: store, topic: topic, root: source)
    #expect(
      result.published.map(\.relativePath) == [
        "users/2021-01-01-00-00-00.csv", "sections/2021-01-01-00-00-00.csv",
      ])
    #expect(result.notOnDisk == ["users/2021-01-02-00-00-00.csv"])
    let sent = try readAll(topic).map { try FileMessage.decode($0.value) }
    #expect(
      sent.map(\.relativePath) == [
        "users/2021-01-01-00-00-00.csv", "sections/2021-01-01-00-00-00.csv",
      ])
    #expect(sent.allSatisfy { $0.replay && $0.force })
  }
}
