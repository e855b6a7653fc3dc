import Kafka

/// When the consume loop sends its offsets to the group coordinator. Commits are asynchronous
/// (`KafkaConsumer.commitAsync`): a coordinator that does not answer — an outage, a coordinator
/// moving — must not hold the loop, whose polls serve the heartbeats, `max.poll.interval.ms` and
/// `/livez`. One commit is outstanding at a time, carrying every offset durable in the database
/// and not yet known committed; its answer arrives during a later poll. A failed commit is sent
/// again after a growing pause; one left unanswered for `patience` is sent again as a new request
/// (librdkafka may hold a commit while it looks for a coordinator).
///
/// A plain value that returns what to send, so it is tested without a broker or a clock.
struct OffsetCommitSchedule {
  let patience: Duration
  private var backoff: Backoff
  private var outstandingSince: ContinuousClock.Instant?
  private var nextTry: ContinuousClock.Instant?

  init(backoff: Backoff, patience: Duration = .seconds(30)) {
    self.backoff = backoff
    self.patience = patience
  }

  /// True while a commit was sent and not answered.
  var isOutstanding: Bool { outstandingSince != nil }

  /// The offsets to send now, if any: `uncommitted` (the partitions this member holds) when
  /// nothing is outstanding, or the outstanding commit waited `patience`, and no failure pause runs.
  mutating func offsetsToSend(
    _ uncommitted: [TopicPartition: Offset], now: ContinuousClock.Instant
  ) -> [TopicPartition: Offset]? {
    guard !uncommitted.isEmpty else { return nil }
    if let nextTry, now < nextTry { return nil }
    if let since = outstandingSince, now - since < patience { return nil }
    outstandingSince = now
    nextTry = nil
    return uncommitted
  }

  /// Takes in an answer: what it committed leaves `uncommitted` (unless a newer offset of that
  /// partition is waiting). Returns the pause before the next try when it failed.
  mutating func answered(
    _ result: OffsetCommitResult, uncommitted: inout [TopicPartition: Offset],
    now: ContinuousClock.Instant
  ) -> Duration? {
    outstandingSince = nil
    for (partition, offset) in result.committed {
      if let waiting = uncommitted[partition], waiting <= offset { uncommitted[partition] = nil }
    }
    guard result.error != nil else {
      backoff.reset()
      return nil
    }
    return failed(now: now)
  }

  /// The commit could not even be sent; returns the pause before the next try.
  mutating func failed(now: ContinuousClock.Instant) -> Duration {
    outstandingSince = nil
    let delay = backoff.nextDelay()
    nextTry = now + delay
    return delay
  }
}
