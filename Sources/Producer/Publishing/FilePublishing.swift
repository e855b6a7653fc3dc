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

/// Sends one file message and returns only once the broker holds it. A protocol so that runs
/// can be tested against a sink that fails on demand.
public protocol FilePublishing: Sendable {
  func publish(_ message: FileMessage) async throws -> PublishReceipt
}
