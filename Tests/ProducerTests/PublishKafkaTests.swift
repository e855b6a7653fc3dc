import ExtractorTree
import Foundation
import Kafka
import Messages
import Store
import Testing

@testable import Producer

/// `produce` against librdkafka's in-process mock cluster. The mock cannot create topics through
/// the admin API, so topics are made with the mock's own call; creation runs against Tansu.
@Suite(.serialized, .timeLimit(.minutes(2))) struct PublishKafkaTests {
  let cluster: MockKafkaCluster
  init() throws { cluster = try MockKafkaCluster(brokers: 1) }

  @Test func producePublishesKeyedMessagesToTheProvidersPartitionInOrder() async throws {
    let topic = uniqueTopic("produce")
    try cluster.createTopic(topic, partitions: 4)
    try cluster.createTopic(TopicSetup.deadLetterTopic(of: topic), partitions: 4)
    let configuration = testKafkaConfiguration(cluster.bootstrapServers)
    let admin = try KafkaAdmin(configuration: configuration)
    let report = try TopicSetup(topic: topic, partitions: 4).ensure(admin: admin)
    #expect(report.created.isEmpty && report.warnings.isEmpty && report.partitionCount == 4)

    let store = try ScratchLedger()
    let trees = try ["canvas", "schoology"].map { name -> (String, TemporaryTree) in
      let tree = try TemporaryTree()
      try tree.write("sections/2021-01-01-00-00-00.csv", "\(name) s\n")
      try tree.write("users/2021-01-02-00-00-00.csv", "\(name) u2\n")
      try tree.write("users/2021-01-01-00-00-00.csv", "\(name) u1\n")
      return (name, tree)
    }
    let roots = trees.map { SourceRoot(provider: ProviderName($0.0), path: $0.1.path) }
    let publisher = try KafkaFilePublisher(configuration: configuration, topic: topic)
    let run = ProduceRun(
      connection: store.connection, publisher: publisher, logger: quietLogger, options: .init())
    let summary = try await run.run(roots)
    #expect(summary.totalPublished == 6)
    let again = try await run.run(roots)
    #expect(again.totalPublished == 0)
    publisher.close()

    for name in ["canvas", "schoology"] {
      let partition = Murmur2Partitioner.partition(forKey: name, partitionCount: 4)
      let reader = try KafkaPartitionReader(
        configuration: configuration, topicPartition: TopicPartition(topic, partition),
        from: .beginning)
      let mine = try reader.readToEnd().filter { $0.keyString == name }
      reader.close()
      let decoded = try mine.map { try FileMessage.decode($0.value) }
      #expect(
        decoded.map(\.relativePath) == [
          "users/2021-01-01-00-00-00.csv", "users/2021-01-02-00-00-00.csv",
          "sections/2021-01-01-00-00-00.csv",
        ])
      #expect(decoded.allSatisfy { $0.provider.rawValue == name && !$0.replay })
    }
    let rows = try store.ledger.entries()
    #expect(rows.count == 6 && rows.allSatisfy { $0.outcome == .published })
    #expect(rows.allSatisfy { $0.message?.hasPrefix("published to \(topic)[") == true })
  }

  @Test func anExistingTopicWithFewerPartitionsIsLeftAloneWithAWarning() throws {
    let topic = uniqueTopic("fewer")
    try cluster.createTopic(topic, partitions: 2)
    try cluster.createTopic(TopicSetup.deadLetterTopic(of: topic), partitions: 1)
    let admin = try KafkaAdmin(configuration: testKafkaConfiguration(cluster.bootstrapServers))
    let report = try TopicSetup(topic: topic, partitions: 12).ensure(admin: admin)
    #expect(report.partitionCount == 2)
    #expect(report.created.isEmpty)
    #expect(report.warnings.count == 1)
    #expect(report.warnings.first?.contains("fewer than --partitions 12") == true)
  }

  @Test func anUnreachableBrokerFailsWithinTheMessageTimeout() async throws {
    var configuration = testKafkaConfiguration("127.0.0.1:1")
    configuration["message.timeout.ms"] = "1500"
    let publisher = try KafkaFilePublisher(configuration: configuration, topic: "nowhere")
    let tree = try TemporaryTree()
    try tree.write("users/2021-01-01-00-00-00.csv")
    let store = try ScratchLedger()
    let started = ContinuousClock.now
    let summary = try await ProduceRun(
      connection: store.connection, publisher: publisher, logger: quietLogger, options: .init()
    )
    .run([SourceRoot(provider: "p", path: tree.path)])
    #expect(ContinuousClock.now - started < .seconds(15))
    #expect(summary.exitCode == 1)
    #expect(try store.ledger.entries().isEmpty)
    publisher.close(timeout: .zero)
  }
}
