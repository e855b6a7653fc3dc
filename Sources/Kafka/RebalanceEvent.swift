/// A change of a group consumer's assignment, reported by the rebalance callback.
///
/// With the cooperative protocol the lists are increments (partitions added or taken away);
/// with an eager protocol (`range`, `roundrobin`) a revocation covers the whole assignment.
public enum RebalanceEvent: Hashable, Sendable, CustomStringConvertible {
  /// These partitions were added to the assignment (already applied when the event is seen).
  case assigned([TopicPartition])
  /// These partitions are being taken away. A handler passed to `KafkaConsumer.init` sees this
  /// before the revocation is applied, so it can still commit their offsets. `lost` is true when
  /// the partitions were lost (session timeout) and may already belong to another member: a
  /// commit would then fail.
  case revoked([TopicPartition], lost: Bool)
  /// The rebalance failed; the assignment was cleared.
  case error(KafkaError)

  public var description: String {
    switch self {
    case .assigned(let partitions): return "assigned \(partitions)"
    case .revoked(let partitions, let lost): return "\(lost ? "lost" : "revoked") \(partitions)"
    case .error(let error): return "rebalance error \(error)"
    }
  }
}
