import Kafka
import Messages

/// Publishes file messages to the topic: key = provider (so one partition holds a provider's
/// files, in order), value = the message's JSON.
public final class KafkaFilePublisher: FilePublishing {
  public let topic: TopicName
  private let producer: KafkaProducer

  /// Options applied unless the caller's configuration sets them.
  /// - `linger.ms=0`: within a provider each send is awaited before the next, so waiting for a
  ///   batch to fill would only add latency to every file.
  /// - `batch.num.messages=1`: one record per record batch. Providers' lanes send side by side,
  ///   and two providers may share a partition; after a batch of several records Tansu (the
  ///   test broker) reported the partition's end short of the offsets it had acknowledged, and
  ///   the next `produce` took those files for lost from the topic (session 9).
  /// - `message.timeout.ms=60000`: a broker that cannot be reached fails the run within a
  ///   minute (librdkafka's default is five) so cron sees status 1 instead of a hung job.
  public static let defaultOptions: [String: String] = [
    "linger.ms": "0",
    "batch.num.messages": "1",
    "message.timeout.ms": "60000",
  ]

  public init(configuration: KafkaConfiguration, topic: TopicName) throws {
    var effective = configuration
    for (key, value) in Self.defaultOptions where effective[key] == nil { effective[key] = value }
    self.producer = try KafkaProducer(configuration: effective)
    self.topic = topic
  }

  public func publish(_ message: FileMessage) async throws -> PublishReceipt {
    let (partition, offset) = try await producer.send(
      topic: topic, key: message.key, value: message.encode())
    return PublishReceipt(topic: topic, partition: partition, offset: offset)
  }

  /// Waits for anything still in flight (nothing, when every send was awaited) and releases the client.
  public func close(timeout: Duration = .seconds(10)) {
    producer.close(timeout: timeout)
  }
}
