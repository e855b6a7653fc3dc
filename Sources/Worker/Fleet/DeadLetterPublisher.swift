import Foundation
import Kafka
import Messages
import Store
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
    try send(key: original.key, value: original.value, headers: headers)
  }

  /// Sends the dead letter of a rejection the ledger still owes one, its original message gone:
  /// the message rebuilt from the row (`RebuiltFileMessage`), the same reason, provider and path
  /// headers, and `lmsds-ledger-row` instead of `lmsds-source` (the ledger does not record the
  /// topic position the message had). Blocks like `publish(original:…)`.
  public func publish(owed: OwedDeadLetter) throws {
    let entry = owed.entry
    let message = RebuiltFileMessage.of(entry)
    let headers = [
      KafkaHeader("lmsds-reason", entry.message ?? "rejected"),
      KafkaHeader("lmsds-ledger-row", "\(owed.row)"),
      KafkaHeader("lmsds-provider", entry.provider.rawValue),
      KafkaHeader("lmsds-path", entry.relativePath),
    ]
    try send(key: message.key, value: message.encode(), headers: headers)
  }

  private func send(key: [UInt8]?, value: [UInt8], headers: [KafkaHeader]) throws {
    let producer = self.producer
    let topic = self.topic
    try BlockingResult<Void>.waiting {
      _ = try await producer.send(topic: topic, key: key, value: value, headers: headers)
    }.get()
  }

  public func close() { producer.close(timeout: .seconds(5)) }
}
