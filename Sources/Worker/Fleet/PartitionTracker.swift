import Kafka

/// Which partitions this worker owns, and since when, so that work done for a partition that was
/// taken away in the meantime is never committed under the new owner's feet.
///
/// Every assignment of a partition starts a new generation. A message is stamped with its
/// partition's generation when it arrives; its offset is committed only while that generation is
/// still the current one. (The work itself may still have been applied: the new owner re-applies
/// the message and the ledger calls it `duplicate`.)
public struct PartitionTracker: Sendable {
  /// A message and the generation of its partition when it arrived; its content decoded on
  /// arrival where the consume loop did (`MessageResolver.decode`).
  public struct Stamped: Sendable, Hashable {
    public let message: KafkaMessage
    public let generation: Int
    public var decoded: MessageResolver.Decoded?

    /// One read of one offset: the offset names the message, so its bytes need not be compared
    /// (nor hashed, a batch's worth at a time).
    public static func == (lhs: Stamped, rhs: Stamped) -> Bool {
      lhs.message.topicPartition == rhs.message.topicPartition
        && lhs.message.offset == rhs.message.offset && lhs.generation == rhs.generation
    }

    public func hash(into hasher: inout Hasher) {
      hasher.combine(message.topicPartition)
      hasher.combine(message.offset)
      hasher.combine(generation)
    }
  }

  public private(set) var assigned: Set<TopicPartition> = []
  private var generations: [TopicPartition: Int] = [:]
  private var counter = 0

  public init() {}

  public mutating func assign(_ partitions: [TopicPartition]) {
    for partition in partitions {
      counter += 1
      generations[partition] = counter
      assigned.insert(partition)
    }
  }

  public mutating func revoke(_ partitions: [TopicPartition]) {
    for partition in partitions {
      counter += 1
      generations[partition] = counter
      assigned.remove(partition)
    }
  }

  /// Stamps a message just read. A message of a partition not (or no longer) assigned gets a
  /// generation that is never current.
  public func stamp(_ message: KafkaMessage, decoded: MessageResolver.Decoded? = nil) -> Stamped {
    let partition = message.topicPartition
    let generation = assigned.contains(partition) ? generations[partition] ?? -1 : -1
    return Stamped(message: message, generation: generation, decoded: decoded)
  }

  public func isCurrent(_ stamped: Stamped) -> Bool {
    stamped.generation >= 0 && assigned.contains(stamped.message.topicPartition)
      && generations[stamped.message.topicPartition] == stamped.generation
  }

  /// The offsets to commit once `applied` (in order) is durable: for each partition still owned
  /// in the same generation, the offset after the last applied message.
  public func offsetsToCommit(after applied: [Stamped]) -> [TopicPartition: Offset] {
    var offsets: [TopicPartition: Offset] = [:]
    for stamped in applied where isCurrent(stamped) {
      let partition = stamped.message.topicPartition
      let next = stamped.message.offset.next
      if let known = offsets[partition], known >= next { continue }
      offsets[partition] = next
    }
    return offsets
  }
}
