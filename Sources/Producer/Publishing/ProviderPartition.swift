import Foundation
import Kafka
import Messages

/// A provider's partition read back from a start time to the end it has now (for replay).
public struct ProviderPartition: Sendable {
  public let topicPartition: TopicPartition
  /// Offsets read: `start ..< end`.
  public let start: Offset
  public let end: Offset
  /// Every message of the partition in that range, whatever its key.
  public let messages: [KafkaMessage]
  /// True when retention removed messages that may be newer than the start time, so the topic
  /// alone may not name every file since then.
  public let mayMissFiles: Bool

  /// Finds the provider's partition the way the producer's partitioner does, asks the broker for
  /// the offset of `from`, and reads to the current end.
  ///
  /// The broker's answer is only trusted when it lies inside the log: Tansu returns 0 for a time
  /// after the last message and the mock cluster returns the end for every time, so otherwise the
  /// read starts at the oldest retained message and the planner filters by message timestamp.
  public static func read(
    configuration: KafkaConfiguration, topic: TopicName, provider: ProviderName, from: Date?,
    timeout: Duration = .seconds(10)
  ) throws -> ProviderPartition {
    let admin = try KafkaAdmin(configuration: configuration)
    defer { admin.close() }
    guard let count = try admin.partitionCount(of: topic, timeout: timeout) else {
      throw ReplayError.topicMissing(topic.rawValue)
    }
    let partition = Murmur2Partitioner.partition(forKey: provider.rawValue, partitionCount: count)
    let topicPartition = TopicPartition(topic, partition)
    guard let marks = try admin.watermarks(of: topic, timeout: timeout)[partition] else {
      throw ReplayError.topicMissing(topic.rawValue)
    }
    var start = marks.low
    if let from {
      let fromMs = Int64((from.timeIntervalSince1970 * 1000).rounded(.down))
      if let found = try admin.offsetsForTimes(topic: topic, timestampMs: fromMs, timeout: timeout)[
        partition],
        found.isConcrete, found > marks.low, found < marks.high
      {
        start = found
      }
    }
    let reader = try KafkaPartitionReader(
      configuration: configuration, topicPartition: topicPartition, from: start, timeout: timeout)
    defer { reader.close() }
    let messages = try reader.readToEnd(timeout: timeout)
    // Nothing was ever removed when the log still starts at 0; otherwise the gap matters unless
    // the oldest message read is already older than `from` (then everything since is retained).
    var mayMissFiles = false
    if marks.low.rawValue > 0, reader.start == marks.low {
      if let from, let first = messages.first?.timestampMs,
        first < Int64((from.timeIntervalSince1970 * 1000).rounded(.down))
      {
        mayMissFiles = false
      } else {
        mayMissFiles = true
      }
    }
    return ProviderPartition(
      topicPartition: topicPartition, start: reader.start, end: reader.end, messages: messages,
      mayMissFiles: mayMissFiles)
  }
}
