/// What became of one arrival of a file (load-semantics §4, §9).
public enum FileOutcome: String, Sendable, Codable, CaseIterable, Hashable {
  /// Written by the producer: sent to the topic, not yet applied.
  case published
  case loaded
  case rejected
  case superseded
  case duplicate
}
