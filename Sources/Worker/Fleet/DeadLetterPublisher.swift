import Foundation
import Kafka
import TaskBridge

/// Publishes what the worker refused to `<topic>.dlq`: the original message's key and value, with
/// the reason, provider and path as headers, so an operator can read why and republish.
public final class DeadLetterPublisher: Sendable {
  public let topic: TopicName
  private let producer: KafkaProducer

  public init(producer: KafkaProducer, topic: TopicName) {
    self.producer = producer
    self.topic = topic
  }

  /// Blocks the calling thread (the apply thread, never a task executor) until the broker
  /// acknowledged the message, or throws.
  public func publish(original: KafkaMessage, reason: String, provider: String?, path: String?)
    throws
  {
    var headers = [
      KafkaHeader("lmsds-reason", reason),
      KafkaHeader("lmsds-source", "\(original.topic)[\(original.partition)]@\(original.offset)"),
    ]
    if let provider { headers.append(KafkaHeader("lmsds-provider", provider)) }
    if let path { headers.append(KafkaHeader("lmsds-path", path)) }
    let producer = self.producer
    let topic = self.topic
    let headerList = headers
    try BlockingResult<Void>.waiting {
      _ = try await producer.send(
        topic: topic, key: original.key, value: original.value, headers: headerList)
    }.get()
  }

  public func close() { producer.close(timeout: .seconds(5)) }
}
