import ExtractorTree
import Foundation
import Kafka
import Messages

/// Stands in for `lmsds produce` until it lands: publishes one FileMessage per file, keyed by
/// provider, in the scanner's order — what the producer's contract promises.
final class TopicPublisher {
  let topic: TopicName
  private let producer: KafkaProducer
  private(set) var published: [FileMessage] = []

  init(brokers: String, topic: TopicName) throws {
    self.topic = topic
    producer = try KafkaProducer(configuration: FleetKafka.configuration(brokers))
  }

  deinit { producer.close() }

  func publish(_ files: [ScannedFile]) async throws {
    for file in files {
      try await publish(file.message(scanId: "fleet-test", publishedAt: Date()))
    }
  }

  func publish(_ message: FileMessage) async throws {
    _ = try await producer.send(topic: topic, key: message.key, value: message.encode())
    published.append(message)
  }
}

/// Client settings shared by the tests and the workers they start.
enum FleetKafka {
  static func configuration(_ brokers: String) -> KafkaConfiguration {
    var configuration = KafkaConfiguration(bootstrapServers: brokers, clientID: "lmsds-fleet-tests")
    configuration["log_level"] = "3"
    configuration["topic.metadata.refresh.interval.ms"] = "1000"
    return configuration
  }

  /// `--kafka-option`s that make group changes fast enough for a test.
  static let workerOptions = [
    "session.timeout.ms=3000", "heartbeat.interval.ms=300", "fetch.wait.max.ms=100",
    "topic.metadata.refresh.interval.ms=1000", "log_level=3",
  ].flatMap { ["--kafka-option", $0] }

  /// A fresh topic and its dead-letter topic.
  static func createTopic(brokers: String, partitions: Int) throws -> TopicName {
    let topic = TopicName("fleet-\(UUID().uuidString.prefix(8).lowercased())")
    let admin = try KafkaAdmin(configuration: configuration(brokers))
    defer { admin.close() }
    try admin.createTopic(topic, partitions: partitions)
    try admin.createTopic(TopicName(topic.rawValue + ".dlq"), partitions: 1)
    return topic
  }

  /// Reads up to `count` messages of a topic from the start.
  static func read(
    _ topic: TopicName, brokers: String, count: Int, timeout: Duration = .seconds(30)
  ) throws -> [KafkaMessage] {
    var configuration = configuration(brokers)
    configuration["session.timeout.ms"] = "6000"
    configuration["fetch.wait.max.ms"] = "100"
    let consumer = try KafkaConsumer(
      configuration: configuration, groupID: "reader-\(UUID().uuidString.prefix(8))")
    defer { try? consumer.close() }
    try consumer.subscribe(topics: [topic])
    var messages: [KafkaMessage] = []
    let end = ContinuousClock.now + timeout
    while messages.count < count, ContinuousClock.now < end {
      if let message = try? consumer.poll(timeout: .milliseconds(100)) { messages.append(message) }
    }
    return messages
  }
}
