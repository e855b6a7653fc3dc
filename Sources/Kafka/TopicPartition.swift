/// One partition of one topic.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let topic: TopicName
  public let partition: PartitionID

  public init(_ topic: TopicName, _ partition: PartitionID) {
    self.topic = topic
    self.partition = partition
  }

  public init(topic: TopicName, partition: PartitionID) {
    self.init(topic, partition)
  }

  public var description: String { "\(topic)[\(partition)]" }

  public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
    (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
  }
}
