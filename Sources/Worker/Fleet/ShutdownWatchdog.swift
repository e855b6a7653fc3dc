import Foundation
import Logging

/// Bounds how long a stop may take. Started when a stop is requested: when the work in flight has
/// not finished after the shutdown timeout, it asks the worker to abandon it (cancel the running
/// statement, roll back), repeatedly; when even that has not ended the run after the grace period
/// (a driver that cannot cancel, a server that does not answer), it ends the process. Ending it is safe: nothing uncommitted survives a dropped connection, and
/// offsets are only committed after the database commit.
final class ShutdownWatchdog: Sendable {
  private let grace: Duration
  private let logger: Logger
  private let finished = LockedValue(false)
  private let started = LockedValue(false)

  init(grace: Duration, logger: Logger) {
    self.grace = grace
    self.logger = logger
  }

  /// The run is over; a running watchdog stands down.
  func markFinished() { finished.set(true) }

  /// Starts counting (once): `abandon` after `timeout`, `exitProcess` a grace period later.
  func start(
    abandon: @escaping @Sendable () -> Void, exitProcess: @escaping @Sendable () -> Void,
    after timeout: Duration
  ) {
    guard !started.exchange(true) else { return }
    let thread = Thread { [self] in
      guard !waitForFinish(timeout) else { return }
      if timeout > .zero {
        logger.warning(
          "shutdown timeout reached: rolling back the work in flight (the next worker applies it)",
          metadata: ["timeout": "\(timeout)"])
      }
      // Again and again through the grace period: a cancel request only stops the statement
      // running at that moment, and the applier may be between two statements.
      let end = ContinuousClock.now + grace
      while ContinuousClock.now < end {
        abandon()
        if waitForFinish(min(.milliseconds(250), end - ContinuousClock.now)) { return }
      }
      guard !finished.value else { return }
      logger.critical(
        "the work in flight did not stop in time; exiting without committing it",
        metadata: ["timeout": "\(timeout)", "grace": "\(grace)"])
      exitProcess()
    }
    thread.name = "lmsds-shutdown-watchdog"
    thread.start()
  }

  /// True when the run finished within `duration`.
  private func waitForFinish(_ duration: Duration) -> Bool {
    let end = ContinuousClock.now + duration
    while ContinuousClock.now < end {
      if finished.value { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return finished.value
  }
}
