import Kafka

/// A message read from the topic and checked, ready for the transaction.
struct PreparedMessage {
  enum Action {
    /// Verified: hand it to the file applier.
    case apply(FileToApply)
    /// The file is unusable (outside the root, missing or changed after retries): a ledger row
    /// says why (unless the ledger already knows the file) and it goes to the dead-letter topic.
    /// `mismatched` when the file was there but not as the message described it.
    case reject(FileToApply, reason: String, mismatched: Bool)
    /// The message itself is unusable: dead-letter topic only (nothing to put in a ledger row).
    case deadLetter(reason: String)
  }

  let stamped: PartitionTracker.Stamped
  let action: Action
}
