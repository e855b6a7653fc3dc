import Kafka

/// What the consume loop tells `ConsumeLoopState`: what the consumer, the apply thread and the
/// process reported, and the answers to the questions the state asked through its actions.
enum ConsumeEvent {
  /// Partitions added to this member's assignment.
  case assigned([TopicPartition])
  /// Partitions taken away in a rebalance this member took part in.
  case revoked([TopicPartition])
  /// Partitions the group took away without this member (its session expired): they may already
  /// belong to another member.
  case lost([TopicPartition])
  case rebalanceFailed(KafkaError)
  /// A message read by a poll, and its content when the loop decoded it.
  case polled(KafkaMessage, decoded: MessageResolver.Decoded? = nil)
  /// A poll failed (a broker away, a topic not created yet, or a fatal client error).
  case pollFailed(KafkaError)
  /// The apply thread finished the batch in flight.
  case batchFinished(BatchOutcome)
  /// Answer to `ConsumeAction.commit`: the offsets the group now holds (next offset to read), by
  /// partition.
  case committed([TopicPartition: Offset])
  /// Answer to `ConsumeAction.commit`: the request, or some of its partitions, failed; what was
  /// not committed stays queued and is tried again after a pause.
  case commitFailed(String, committed: [TopicPartition: Offset] = [:])
  /// Answer to `ConsumeAction.readLowWatermark`: the oldest offset the partition still holds,
  /// `nil` when the broker did not say.
  case lowWatermarkRead(KafkaMessage, low: Offset?)
  /// Answer to `ConsumeAction.recheckParked`: the reason the message still cannot be applied,
  /// `nil` when it can be now.
  case parkedMessageChecked(TopicPartition, blockedBy: ParkReason?)
  /// Answer to `ConsumeAction.seekParked`: the partition reads from its parked offset again.
  case parkedPartitionSought(TopicPartition)
  /// Answer to `ConsumeAction.seekParked`: the seek failed; the partition stays parked.
  case parkedSeekFailed(TopicPartition, String)
  /// Answer to `ConsumeAction.probeDrain` (none when the broker did not answer).
  case drainObserved(DrainWatch.Observation)
  /// A stop was asked for (SIGTERM): the batch in flight is finished, then the loop exits.
  case stopRequested
  /// One turn of the loop: time to retry, commit, start a batch or check for quiet.
  case tick
}

extension ConsumeEvent {
  /// The answer to an asynchronous commit, read after a poll.
  init(_ answer: OffsetCommitResult) {
    if let error = answer.error {
      self = .commitFailed("\(error)", committed: answer.committed)
    } else {
      self = .committed(answer.committed)
    }
  }

  /// What the rebalance callback reported.
  init(_ rebalance: RebalanceEvent) {
    switch rebalance {
    case .assigned(let partitions): self = .assigned(partitions)
    case .revoked(let partitions, let lost): self = lost ? .lost(partitions) : .revoked(partitions)
    case .error(let error): self = .rebalanceFailed(error)
    }
  }
}
