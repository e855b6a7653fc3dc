/// Why a worker's consume loop ended, and what it did.
public struct FleetExit: Sendable, Hashable {
  public enum Reason: Sendable, Hashable {
    /// `--exit-when-idle` passed without a message.
    case idle
    /// Asked to stop (SIGTERM): the batch in flight was finished and committed.
    case shutdown
    /// It must not go on (a database failure that is not an outage, a fatal Kafka error), or
    /// under `--exit-when-idle` it is idle but holds parked partitions: nothing past the last
    /// applied message of a partition was committed.
    case stopped(String)
  }

  public var reason: Reason
  public var filesApplied = 0
  /// True when this process recorded a rejected file or a file with invalid rows.
  public var recordedProblems = false

  public init(reason: Reason) { self.reason = reason }

  /// The documented statuses: 0 done, 3 done with a rejected file or invalid row, 1 could not run.
  public var exitCode: Int32 {
    if case .stopped = reason { return 1 }
    return recordedProblems ? 3 : 0
  }
}
