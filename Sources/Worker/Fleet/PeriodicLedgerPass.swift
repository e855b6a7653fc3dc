import Foundation
import Logging
import Store

/// The loop of a ledger check that every worker runs on a thread of its own (`UnappliedWatch`,
/// `DeadLetterSweep`): `pass` on a connection kept between passes, then a wait of `interval`,
/// until `stopped`. A failed pass drops the connection and logs at debug level only: the worker
/// itself reports an outage, and the check tries again next time.
struct PeriodicLedgerPass {
  let interval: Duration
  let stopped: LockedValue<Bool>
  let connect: @Sendable () throws -> any SQLConnection
  let logger: Logger
  /// What the debug line says failed, e.g. "cannot count unapplied files".
  let failure: Logger.Message

  func run(_ pass: (any SQLConnection) throws -> Void) {
    var connection: (any SQLConnection)?
    while !stopped.value {
      do {
        let open = try connection ?? connect()
        connection = open
        try pass(open)
      } catch {
        connection = nil
        logger.debug(failure, metadata: ["error": "\(error)"])
      }
      let wake = ContinuousClock.now + interval
      while !stopped.value, ContinuousClock.now < wake { Thread.sleep(forTimeInterval: 0.25) }
    }
  }
}
