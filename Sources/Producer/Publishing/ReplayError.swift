/// Why a replay could not run (exit status 1).
public enum ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
  case topicMissing(String)
  /// Files known only from the ledger need their root to check the bytes are still those.
  case needsRoot(provider: String, files: Int)
  case rootIsAnotherProvider(root: String, provider: String)

  public var description: String {
    switch self {
    case .topicMissing(let topic):
      return "topic \(topic) does not exist on these brokers; nothing to replay from"
    case .needsRoot(let provider, let files):
      return
        "the topic no longer holds \(files) file(s) of \(provider) since the start time (retention "
        + "or a lost topic); give --csvpath DIR or --sources DIR so replay can re-read them from the root"
    case .rootIsAnotherProvider(let root, let provider):
      return
        "--csvpath \(root) is not the root of provider \(provider) (give --provider \(provider))"
    }
  }
}
