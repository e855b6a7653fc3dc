/// What the apply thread did with a batch of messages handed to it.
struct BatchOutcome {
  /// The leading messages of the batch that are done — durable in the database and, where they
  /// were refused, published to the dead-letter topic. Their offsets may be committed.
  var done: [PartitionTracker.Stamped] = []
  /// The ledger results of those messages, in order.
  var results: [ApplyResult] = []
  /// Set when the worker must stop at the first message after `done`.
  var stopReason: String?
  /// True when the work was given up because the worker is stopping (an outage, a file to wait
  /// for): nothing after `done` may be committed.
  var abandoned = false
}
