import Foundation
import Logging
import ServiceLifecycle
import Store

/// Warns, with a log line and the `lmsds_unapplied_published_files` gauge, while files published
/// longer than `threshold` ago still have no outcome: a fleet that is stopped or stuck, or
/// messages the broker lost that no `lmsds produce` has run since to publish again.
///
/// Every worker checks the whole ledger, so the warning does not depend on which worker holds
/// which partition, nor on any one worker being alive. The query runs on a thread of its own:
/// a database that does not answer must not hold a thread of Swift's cooperative pool, nor delay
/// the process's stop.
public final class UnappliedWatch: Service, Sendable {
  public let threshold: TimeInterval
  public let interval: Duration
  /// While the count stays the same, the warning is repeated no more often than this.
  public let repeatAfter: Duration
  private let logger: Logger
  private let metrics: FleetMetrics
  private let connect: @Sendable () throws -> any SQLConnection
  private let stopped = LockedValue(false)
  private let lastWarning = LockedValue<(files: Int, at: ContinuousClock.Instant)?>(nil)

  public init(
    threshold: TimeInterval, interval: Duration = .seconds(60),
    repeatAfter: Duration = .seconds(900), logger: Logger, metrics: FleetMetrics,
    connect: @escaping @Sendable () throws -> any SQLConnection
  ) {
    self.threshold = threshold
    self.interval = interval
    self.repeatAfter = repeatAfter
    self.logger = logger
    self.metrics = metrics
    self.connect = connect
  }

  public func run() async throws {
    let thread = Thread { [self] in loop() }
    thread.name = "lmsds-unapplied-watch"
    thread.start()
    // Returns at the graceful shutdown, throws at cancellation: either way the thread ends at
    // its next wake-up, and nobody waits for a query in flight.
    defer { stopped.set(true) }
    try await gracefulShutdown()
  }

  /// One check on `connection`: records the gauge, and logs when the count calls for it.
  @discardableResult
  public func check(_ connection: any SQLConnection, now: Date = Date()) throws -> UnappliedCount {
    let cutoff = now.addingTimeInterval(-threshold)
    let found = try Ledger(connection: connection).unappliedPublishedCount(olderThan: cutoff)
    metrics.unapplied(found.files)
    let instant = ContinuousClock.now
    let warn = lastWarning.update { last -> Bool in
      guard found.files > 0 else {
        last = nil
        return false
      }
      if let previous = last, previous.files == found.files,
        instant - previous.at < repeatAfter
      {
        return false
      }
      last = (found.files, instant)
      return true
    }
    if warn {
      logger.warning(
        "published files still have no outcome; if the broker lost them, run lmsds produce",
        metadata: [
          "files": "\(found.files)", "older_than_seconds": "\(Int(threshold))",
          "oldest_published_at": "\(found.oldestPublishedAt ?? "")",
        ])
    }
    return found
  }

  private func loop() {
    PeriodicLedgerPass(
      interval: interval, stopped: stopped, connect: connect, logger: logger,
      failure: "cannot count unapplied files"
    ).run { try check($0) }
  }
}
