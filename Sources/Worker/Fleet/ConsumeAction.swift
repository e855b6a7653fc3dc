import Kafka
import Logging

/// What `ConsumeLoopState` asks the consume loop to do, in order. The actions marked "answered"
/// expect the loop to hand the result back as the `ConsumeEvent` named there, right away.
enum ConsumeAction {
  case pause([TopicPartition])
  case resume([TopicPartition])
  /// Reads `partition` from `offset` on; a failure is only logged (the next message tells).
  case seek(TopicPartition, to: Offset)
  /// Moves a parked partition back to its parked offset; answered by `parkedPartitionSought` or
  /// `parkedSeekFailed`.
  case seekParked(TopicPartition, to: Offset)
  /// Answered by `lowWatermarkRead`.
  case readLowWatermark(KafkaMessage)
  /// Looks at a parked partition's message again; answered by `parkedMessageChecked`.
  case recheckParked(ParkedPartitions.Entry)
  /// Hands a batch to the apply thread; `batchFinished` comes once it is done.
  case startBatch([PartitionTracker.Stamped])
  /// Sent asynchronously; answered by `committed` or `commitFailed` once the broker answers (a
  /// later poll), or by `commitFailed` right away when it cannot even be sent.
  case commit([TopicPartition: Offset])
  /// The last commit before the group is left, waiting at most a few seconds; a failure is only
  /// logged.
  case commitBeforeLeaving([TopicPartition: Offset])
  /// Asks the broker where the partitions held (or the group) stand; answered by
  /// `drainObserved` when the broker answers.
  case probeDrain(holding: Set<TopicPartition>, parked: Set<TopicPartition>, uncommitted: Bool)
  /// Leaves the group and joins it again (a member stranded without partitions).
  case rejoin
  /// A file the apply thread finished: its metrics and its log line.
  case record(ApplyResult)
  /// The parked-partition gauge of this entry's series goes to 1 (`true`) or 0.
  case parkedGauge(ParkedPartitions.Entry, Bool)
  case markJoined
  case markMembershipLost
  /// The parked partitions as `/readyz` lists them.
  case publishParked([String])
  case log(Logger.Level, Logger.Message, Logger.Metadata)
  /// Waits before polling again (after a failed poll).
  case wait(Duration)
  /// The loop ends: nothing is in flight and what could be committed was.
  case exit(FleetExit)
}
