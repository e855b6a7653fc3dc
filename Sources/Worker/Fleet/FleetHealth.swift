import Foundation

/// What `/livez` and `/readyz` report about a worker, fed by the threads that do the work.
///
/// Ready means: the database is migrated and reachable as of the last transaction, the consumer
/// has joined its group, and no stop was requested. A parked partition does not make a worker
/// unready: it still serves its other partitions, and a restart (or being taken out of a
/// rollout) would not mount a root; the parked partitions are listed as notes instead. Alive means: the consume loop still turns
/// (it polls every 100 ms; a loop silent for `stallLimit` is stuck).
public final class FleetHealth: @unchecked Sendable {
  // `@unchecked Sendable`: every stored property is only touched under `lock`.
  private let lock = NSLock()
  private var databaseReady = false
  private var databaseProblem: String?
  private var joinedGroup = false
  private var membershipLost = false
  private var stopping = false
  private var parked: [String] = []
  private var loopRunning = false
  private var lastLoopTurn: ContinuousClock.Instant?
  private let stallLimit: Duration

  public init(stallLimit: Duration = .seconds(60)) {
    self.stallLimit = stallLimit
  }

  /// The answer of a probe: fine, or the reasons it is not; `notes` are worth saying either way.
  public struct Report: Sendable, Equatable {
    public let problems: [String]
    public var notes: [String] = []
    public var isHealthy: Bool { problems.isEmpty }
  }

  public func markDatabaseMigrated() {
    withLock {
      databaseReady = true
      databaseProblem = nil
    }
  }

  func markDatabase(unavailable reason: String?) {
    withLock {
      if let reason {
        databaseProblem = reason
      } else {
        databaseProblem = nil
        databaseReady = true
      }
    }
  }

  func markJoined() {
    withLock {
      joinedGroup = true
      membershipLost = false
    }
  }

  /// The group took this member's partitions away without a rebalance it took part in (its
  /// session expired: a long coordinator outage, a stalled loop): not ready until assigned again.
  func markMembershipLost() {
    withLock {
      joinedGroup = false
      membershipLost = true
    }
  }
  func markStopping() { withLock { stopping = true } }

  /// One line per partition parked now (`ParkedPartitions.summary`).
  func setParked(_ lines: [String]) { withLock { parked = lines } }

  func loopTurned(now: ContinuousClock.Instant = .now) {
    withLock {
      loopRunning = true
      lastLoopTurn = now
    }
  }

  func loopEnded() { withLock { loopRunning = false } }

  public var isJoined: Bool { withLock { joinedGroup } }

  public func readiness() -> Report {
    withLock {
      var problems: [String] = []
      if !databaseReady { problems.append("database not migrated yet") }
      if let databaseProblem { problems.append("database unavailable: \(databaseProblem)") }
      if membershipLost {
        problems.append("consumer group membership lost; rejoining")
      } else if !joinedGroup {
        problems.append("consumer group not joined yet")
      }
      if stopping { problems.append("stopping") }
      return Report(problems: problems, notes: parked)
    }
  }

  public func liveness(now: ContinuousClock.Instant = .now) -> Report {
    withLock {
      guard loopRunning, let lastLoopTurn else { return Report(problems: []) }
      let silent = now - lastLoopTurn
      if silent > stallLimit {
        return Report(problems: ["consume loop has not turned for \(silent)"])
      }
      return Report(problems: [])
    }
  }

  private func withLock<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }
}
