import Kafka

/// The partitions a worker has parked: each stopped at a message it cannot apply yet
/// (`ParkReason`), and when to look at that message again. A value with the clock passed in, so
/// the rules are tested step by step without a broker or a sleep; the consume loop does the I/O
/// (pause, seek, resume) each answer calls for.
///
/// Why park instead of stopping the worker: a stop takes every other partition of the worker down
/// with it, and a restarted worker meets the same message again. Parking holds back only the
/// provider(s) sharing that partition; nothing at or after `offset` is applied or committed, so no
/// message is ever skipped, and the periodic retry picks the message up once the root is mounted
/// (or a worker that knows the version takes the partition).
struct ParkedPartitions {
  struct Entry: Equatable {
    let partition: TopicPartition
    /// Where the partition resumes: its first message not applied (the parked one, or an earlier
    /// one the same batch did not get to).
    let offset: Offset
    /// The message that could not be applied, looked at again on each retry.
    let message: KafkaMessage
    var reason: ParkReason
    let since: ContinuousClock.Instant
    var nextRetry: ContinuousClock.Instant

    /// The provider named by the message key (the partition may carry others too).
    var provider: String { message.key.map { String(decoding: $0, as: UTF8.self) } ?? "" }
  }

  /// What `park` changed, so the loop logs a park once rather than on every retry.
  enum Change: Equatable {
    case parked
    /// Already parked at the same message for the same kind of reason.
    case unchanged
    /// Already parked, for another kind of reason now (a mounted root, a newer version yet).
    case reasonChanged
  }

  let retryInterval: Duration
  private(set) var entries: [TopicPartition: Entry] = [:]

  init(retryInterval: Duration) {
    self.retryInterval = retryInterval
  }

  var partitions: Set<TopicPartition> { Set(entries.keys) }
  var isEmpty: Bool { entries.isEmpty }

  func isParked(_ partition: TopicPartition) -> Bool { entries[partition] != nil }

  /// The partition stops at `offset`; `message` is retried after `retryInterval`.
  mutating func park(
    _ partition: TopicPartition, at offset: Offset, message: KafkaMessage, reason: ParkReason,
    now: ContinuousClock.Instant
  ) -> Change {
    if var known = entries[partition], known.offset == offset {
      let change: Change = known.reason.kind == reason.kind ? .unchanged : .reasonChanged
      known.reason = reason
      known.nextRetry = now + retryInterval
      entries[partition] = known
      return change
    }
    entries[partition] = Entry(
      partition: partition, offset: offset, message: message, reason: reason, since: now,
      nextRetry: now + retryInterval)
    return .parked
  }

  /// The parked partitions whose message is due for another look, oldest park first.
  func due(now: ContinuousClock.Instant) -> [Entry] {
    entries.values.filter { $0.nextRetry <= now }.sorted {
      ($0.since, $0.partition) < ($1.since, $1.partition)
    }
  }

  /// A retry found the message still blocked: look again after another interval.
  mutating func stillBlocked(
    _ partition: TopicPartition, reason: ParkReason, now: ContinuousClock.Instant
  )
    -> Change
  {
    guard var known = entries[partition] else { return .unchanged }
    let change: Change = known.reason.kind == reason.kind ? .unchanged : .reasonChanged
    known.reason = reason
    known.nextRetry = now + retryInterval
    entries[partition] = known
    return change
  }

  /// The message can be applied now: the partition goes back to normal consumption from
  /// `offset`. `nil` when it was not parked.
  mutating func resume(_ partition: TopicPartition) -> Entry? {
    entries.removeValue(forKey: partition)
  }

  /// The partitions went to another member: their next owner starts from the committed offset
  /// (never past the parked message) and finds out for itself. The entries that were dropped.
  mutating func forget(_ partitions: [TopicPartition]) -> [Entry] {
    partitions.compactMap { entries.removeValue(forKey: $0) }
  }

  /// One line per parked partition, for `/readyz` and the exit message.
  var summary: [String] {
    entries.values.sorted { $0.partition < $1.partition }.map {
      "\($0.partition) parked at offset \($0.offset) (\($0.reason.kind.rawValue)): \($0.reason.detail)"
    }
  }
}
