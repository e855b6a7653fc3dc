/// A message read from a partition.
public struct KafkaMessage: Hashable, Sendable, CustomStringConvertible {
  public let topic: TopicName
  public let partition: PartitionID
  public let offset: Offset
  /// `nil` when the message had no key.
  public let key: [UInt8]?
  public let value: [UInt8]
  public let headers: [KafkaHeader]
  /// Milliseconds since the Unix epoch (create or log-append time), `nil` when unavailable.
  public let timestampMs: Int64?

  public init(
    topic: TopicName, partition: PartitionID, offset: Offset, key: [UInt8]?, value: [UInt8],
    headers: [KafkaHeader] = [], timestampMs: Int64? = nil
  ) {
    self.topic = topic
    self.partition = partition
    self.offset = offset
    self.key = key
    self.value = value
    self.headers = headers
    self.timestampMs = timestampMs
  }

  public var topicPartition: TopicPartition { TopicPartition(topic, partition) }

  /// The key decoded as UTF-8 (lossy), `nil` when the message had no key.
  public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }

  /// The first header with this name (its value, `nil` if absent or null).
  public func header(_ name: String) -> [UInt8]? {
    headers.first { $0.name == name }?.value ?? nil
  }

  public var description: String {
    "\(topic)[\(partition)]@\(offset) key=\(keyString ?? "null") \(value.count) bytes"
  }
}
