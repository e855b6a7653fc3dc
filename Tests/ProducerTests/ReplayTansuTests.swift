import ExtractorTree
import Foundation
import Kafka
import Messages
import Store
import Testing

@testable import Producer

/// Topic creation, produce and replay against a real Kafka-protocol broker (Tansu), when
/// `LMSDS_TEST_KAFKA_BROKERS` is set:
///
///     eval "$(scripts/start-tansu.sh .tools)"
///     LD_LIBRARY_PATH=$LMSDS_KAFKA_LIBRARY_PATH swift test --skip-build --filter ProducerTests
@Suite(
  .serialized, .timeLimit(.minutes(3)),
  .enabled(
    if: ProcessInfo.processInfo.environment["LMSDS_TEST_KAFKA_BROKERS"] != nil,
    "needs LMSDS_TEST_KAFKA_BROKERS"))
struct ReplayTansuTests {
  let configuration = testKafkaConfiguration(
    ProcessInfo.processInfo.environment["LMSDS_TEST_KAFKA_BROKERS"] ?? "")

  @Test func produceCreatesTopicsThenReplayFromATimeRepublishesOnlyLaterFiles() async throws {
    let topic = uniqueTopic("tansu-produce")
    // The mock cluster creates topics on a metadata request; a real broker says they are missing.
    #expect(throws: ReplayError.topicMissing(topic.rawValue)) {
      _ = try ProviderPartition.read(
        configuration: configuration, topic: topic, provider: "p", from: nil)
    }
    let admin = try KafkaAdmin(configuration: configuration)
    defer { admin.close() }
    let report = try TopicSetup(topic: topic, partitions: 3).ensure(admin: admin)
    #expect(report.created == [topic, TopicSetup.deadLetterTopic(of: topic)])
    #expect(report.partitionCount == 3)
    #expect(try admin.partitionCount(of: TopicSetup.deadLetterTopic(of: topic)) == 3)
    let second = try TopicSetup(topic: topic, partitions: 3).ensure(admin: admin)
    #expect(second.created.isEmpty && second.warnings.isEmpty)

    let store = try ScratchLedger()
    let p = try TemporaryTree()
    try p.write("users/2021-01-01-00-00-00.csv", "p1\n")
    try p.write("sections/2021-01-01-00-00-00.csv", "p2\n")
    let q = try TemporaryTree()
    try q.write("users/2021-01-01-00-00-00.csv", "q1\n")
    let roots = [SourceRoot(provider: "p", path: p.path), SourceRoot(provider: "q", path: q.path)]
    let publisher = try KafkaFilePublisher(configuration: configuration, topic: topic)
    defer { publisher.close() }
    let produce = ProduceRun(
      connection: store.connection, publisher: publisher, logger: quietLogger, options: .init())
    #expect(try await produce.run(roots).totalPublished == 3)
    #expect(try await produce.run(roots).totalPublished == 0)

    try await Task.sleep(for: .milliseconds(200))
    let between = Date()
    try await Task.sleep(for: .milliseconds(200))
    try p.write("users/2021-01-02-00-00-00.csv", "p3\n")
    #expect(try await produce.run(roots).totalPublished == 1)

    let partition = try ProviderPartition.read(
      configuration: configuration, topic: topic, provider: "p", from: between)
    let result = try await ReplayRun(
      connection: store.connection, publisher: publisher, logger: quietLogger, force: true,
      root: nil
    ).run(provider: "p", from: between, partition: partition)
    #expect(result.published.map(\.relativePath) == ["users/2021-01-02-00-00-00.csv"])

    // Nothing at all after a time past the last message (Tansu answers offset 0 there).
    let future = Date().addingTimeInterval(3600)
    let none = try ProviderPartition.read(
      configuration: configuration, topic: topic, provider: "p", from: future)
    let nothing = try await ReplayRun(
      connection: store.connection, publisher: publisher, logger: quietLogger, force: false,
      root: nil
    ).run(provider: "p", from: future, partition: none)
    #expect(nothing.published.isEmpty)
  }
}
