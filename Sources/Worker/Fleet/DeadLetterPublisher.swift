import Foundation
import Kafka
import Messages
import Store
import TaskBridge

/// Publishes what the worker refused to `<topic>.dlq`: the original message's key and value, with
/// the reason, provider and path as headers, so an operator can read why and republish.
public final class DeadLetterPublisher: Sendable {
  public let topic: TopicName
  /// Made on the first dead letter when the publisher was given options rather than a producer.
  private let producer: LockedValue<KafkaProducer?>
  /// What that producer is made with (never read when a producer was given).
  private let configuration: KafkaConfiguration

  public init(producer: KafkaProducer, topic: TopicName) {
    self.producer = LockedValue(producer)
    self.configuration = KafkaConfiguration()
    self.topic = topic
  }

  /// A publisher whose producer is made when the first dead letter is sent: most nights have
  /// none, and each client is threads and buffers held all night (a worker held two idle ones,
  /// the loop's and the sweep's). The options are checked now, so a bad one still stops the
  /// worker at start.
  public init(configuration: KafkaConfiguration, topic: TopicName) throws {
    try configuration.validate()
    self.producer = LockedValue(nil)
    self.configuration = configuration
    self.topic = topic
  }

  private func madeProducer() throws -> KafkaProducer {
    try producer.update { made in
      if let made { return made }
      let new = try KafkaProducer(configuration: configuration)
      made = new
      return new
    }
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
    let producer = try madeProducer()
    let topic = self.topic
    try BlockingResult<Void>.waiting {
      _ = try await producer.send(topic: topic, key: key, value: value, headers: headers)
    }.get()
  }

  public func close() { producer.value?.close(timeout: .seconds(5)) }
}
