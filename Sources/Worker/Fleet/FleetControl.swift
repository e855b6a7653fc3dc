import Foundation
import Store

/// Stop requests shared between the service (signal handlers, cancellation) and the threads that
/// consume and apply.
final class FleetControl: @unchecked Sendable {
  // `@unchecked Sendable`: both flags are only touched under `lock`.
  private let lock = NSLock()
  private var stopRequested = false
  private var abandonRequested = false
  private var canceller: (any StatementCanceller)?

  /// The database session the apply thread uses now (nil between sessions): an abandon request
  /// stops its running statement.
  func use(_ canceller: (any StatementCanceller)?) {
    lock.lock()
    self.canceller = canceller
    lock.unlock()
  }

  /// Take no new messages; finish what is in flight, commit, leave.
  func requestStop() {
    lock.lock()
    stopRequested = true
    lock.unlock()
  }

  /// Also give up on work in flight: the running statement is cancelled where the driver can,
  /// and the transaction rolled back; nothing of it is committed, so the next owner of the
  /// partition applies it.
  func requestAbandon() {
    lock.lock()
    stopRequested = true
    abandonRequested = true
    let running = canceller
    lock.unlock()
    // Outside the lock: a cancel request to PostgreSQL is a network round trip.
    running?.cancelRunningStatement()
  }

  var isStopping: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopRequested
  }

  var isAbandoning: Bool {
    lock.lock()
    defer { lock.unlock() }
    return abandonRequested
  }

  /// Sleeps up to `duration`, waking early once stopping (with `whileStopping` false) or abandoning.
  /// Returns false when woken by a stop request.
  func sleep(_ duration: Duration, evenWhileStopping: Bool = false) -> Bool {
    let end = ContinuousClock.now + duration
    while ContinuousClock.now < end {
      if isAbandoning || (!evenWhileStopping && isStopping) { return false }
      Thread.sleep(forTimeInterval: min(0.05, (end - ContinuousClock.now).seconds))
    }
    return true
  }
}

extension Duration {
  /// As a `TimeInterval`.
  var seconds: Double {
    let (whole, fraction) = components
    return Double(whole) + Double(fraction) / 1e18
  }
}
