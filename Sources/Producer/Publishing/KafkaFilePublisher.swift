import Kafka
import Messages

/// Publishes file messages to the topic: key = provider (so one partition holds a provider's
/// files, in order), value = the message's JSON.
public final class KafkaFilePublisher: FilePublishing {
  public let topic: TopicName
  private let producer: KafkaProducer

  /// Options applied unless the caller's configuration sets them.
  /// - `linger.ms=0`: `produce` keeps many sends in flight, so batches form on their own while
  ///   earlier requests are out; `replay` awaits each send, where lingering would only add
  ///   latency to every file.
  /// - `message.timeout.ms=60000`: a broker that cannot be reached fails the run within a
  ///   minute (librdkafka's default is five) so cron sees status 1 instead of a hung job.
  public static let defaultOptions: [String: String] = [
    "linger.ms": "0",
    "message.timeout.ms": "60000",
  ]

  public init(configuration: KafkaConfiguration, topic: TopicName) throws {
    var effective = configuration
    for (key, value) in Self.defaultOptions where effective[key] == nil { effective[key] = value }
    // Without idempotence (a broker that lacks it), a retried request could overtake the next
    // one; a single request in flight keeps a provider's files in order.
    if effective["enable.idempotence"] == "false", effective["max.in.flight"] == nil,
      effective["max.in.flight.requests.per.connection"] == nil
    {
      effective["max.in.flight"] = "1"
    }
    self.producer = try KafkaProducer(configuration: effective)
    self.topic = topic
  }

  public func enqueue(_ message: FileMessage) throws -> PendingPublish {
    let topic = self.topic
    let pending = try producer.enqueue(
      topic: topic, key: message.key, value: message.encode())
    return PendingPublish {
      let (partition, offset) = try await pending.delivered()
      return PublishReceipt(topic: topic, partition: partition, offset: offset)
    }
  }

  /// Waits for anything still in flight (nothing, when every receipt was awaited) and releases
  /// the client.
  public func close(timeout: Duration = .seconds(10)) {
    producer.close(timeout: timeout)
  }
}
