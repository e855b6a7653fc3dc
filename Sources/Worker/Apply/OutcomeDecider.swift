import Messages
import Store

/// The one place that decides, before a file is read, whether it is applied at all
/// (load-semantics §4: `duplicate`, then `superseded`). Produce, load and work all ask it.
public struct OutcomeDecider: Sendable {
  /// With `--retry-rejected`, a rejected identity is offered again.
  public let retryRejected: Bool

  public init(retryRejected: Bool) { self.retryRejected = retryRejected }

  public enum Decision: Equatable, Sendable {
    case apply
    case duplicate
    case superseded(newest: NameTimestamp)
  }

  public func decide(_ file: FileToApply, history: LedgerHistory) -> Decision {
    if file.force { return .apply }
    // A file the scan left unhashed has no history at its path (`LedgerHistory.hasHistory`).
    let outcomes = file.identity.flatMap { history.outcomes[$0] } ?? []
    if isKnown(outcomes, publishedAfterRejection: history.publishedAfterRejection(file)) {
      return .duplicate
    }
    if file.location.resource != .systemActivities,
      let newest = history.watermarks[
        ScopeID(
          provider: file.provider, resource: file.location.resource,
          scopeKey: file.location.scopeKey)],
      file.location.nameTimestamp < newest
    {
      return .superseded(newest: newest)
    }
    return .apply
  }

  /// Whether an identity with these outcomes (oldest first) makes a new arrival a duplicate.
  ///
  /// Loaded or superseded always does. Rejected does unless rejected files are retried, or unless
  /// the producer re-offered it (`--retry-rejected`, a replay): the arrival's message was
  /// published after the rejection, or a `published` row follows the rejection.
  public func isKnown(_ outcomes: [FileOutcome], publishedAfterRejection: Bool = false) -> Bool {
    if outcomes.contains(.loaded) || outcomes.contains(.superseded) { return true }
    guard !retryRejected, !publishedAfterRejection,
      let lastRejected = outcomes.lastIndex(of: .rejected)
    else {
      return false
    }
    return !outcomes[(lastRejected + 1)...].contains(.published)
  }

  /// The ledger message of a superseded file.
  public static func supersededMessage(_ newest: NameTimestamp) -> String {
    "older than \(newest), the newest file applied in its scope"
  }
}
