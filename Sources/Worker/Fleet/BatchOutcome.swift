/// What the apply thread did with a batch of messages handed to it.
struct BatchOutcome {
  /// A message this worker cannot apply yet: its partition parks there. Nothing of that partition
  /// after it was prepared, so none of it is in `done`.
  struct Park {
    let stamped: PartitionTracker.Stamped
    let reason: ParkReason
  }

  /// The messages of the batch that are done — durable in the database and, where they were
  /// refused, published to the dead-letter topic — in batch order. Their offsets may be committed.
  /// Per partition they are a leading part of the batch's messages.
  var done: [PartitionTracker.Stamped] = []
  /// The ledger results of those messages, in order.
  var results: [ApplyResult] = []
  /// The messages that park their partition (at most one per partition).
  var parked: [Park] = []
  /// Set when the worker must stop at the first message after `done`.
  var stopReason: String?
  /// True when the work was given up because the worker is stopping (an outage, a file to wait
  /// for): nothing after `done` may be committed.
  var abandoned = false
}
