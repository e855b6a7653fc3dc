import Kafka
import Messages

/// Where a message was stored once the broker acknowledged it.
public struct PublishReceipt: Hashable, Sendable, CustomStringConvertible {
  public let topic: TopicName
  public let partition: PartitionID
  public let offset: Offset

  public init(topic: TopicName, partition: PartitionID, offset: Offset) {
    self.topic = topic
    self.partition = partition
    self.offset = offset
  }

  public var description: String { "\(topic)[\(partition)]@\(offset)" }
}

/// Hands file messages to the broker. A protocol so that runs can be tested against a sink that
/// fails on demand.
public protocol FilePublishing: Sendable {
  /// Hands one message over without waiting for the broker; the receipt is awaited later.
  /// Messages of one provider reach the topic in the order of these calls. Throws when the
  /// message cannot even be handed over.
  func enqueue(_ message: FileMessage) throws -> PendingPublish
}

extension FilePublishing {
  /// Sends one message and returns only once the broker holds it.
  public func publish(_ message: FileMessage) async throws -> PublishReceipt {
    try await enqueue(message).receipt()
  }
}
