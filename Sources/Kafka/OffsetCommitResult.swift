/// The broker's answer to an asynchronous offset commit (`KafkaConsumer.commitAsync`), delivered
/// during a later `poll`.
public struct OffsetCommitResult: Sendable, Hashable {
  /// The offsets the group now holds (next offset to read), by partition; empty when the whole
  /// request failed.
  public var committed: [TopicPartition: Offset]
  /// Why the request, or one of its partitions, failed; nil when every partition was committed.
  public var error: KafkaError?

  public init(committed: [TopicPartition: Offset], error: KafkaError?) {
    self.committed = committed
    self.error = error
  }
}
