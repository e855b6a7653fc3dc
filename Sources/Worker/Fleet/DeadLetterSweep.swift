import Foundation
import Kafka
import Logging
import Store

/// Sends the dead letters the ledger still owes: rejections a worker recorded whose dead letter
/// the broker never acknowledged, because the worker stopped or crashed between its commit and the
/// broker's answer, or lost the broker until it had to stop. On redelivery such a message is a
/// `duplicate` (the ledger already holds its rejection), so without this its dead letter would be
/// lost. Runs at start and every `deadLetterSweepInterval` on a thread of its own (the database and
/// the producer block), over the whole ledger, so any live worker sends what a dead one owed.
///
/// Each row is sent once: a worker sends only under the row's claim, taken by compare-and-set
/// (`Ledger.claimDeadLetter`), and only from a claim older than `deadLetterClaimLifetime` — the
/// recording worker renews its claim before each try at the broker, so its rows are never taken
/// from under it. The one window for a second copy: the broker acknowledged, and the worker
/// stopped before the acknowledgement reached the ledger.
final class DeadLetterSweep: Sendable {
  /// Rows taken per query; the pass goes on while full pages come back.
  static let pageSize = 100

  private let configuration: FleetConfiguration
  private let logger: Logger
  private let connect: @Sendable () throws -> any SQLConnection
  private let stopped = LockedValue(false)
  private let finished = DispatchSemaphore(value: 0)

  init(
    configuration: FleetConfiguration, logger: Logger,
    connect: @escaping @Sendable () throws -> any SQLConnection
  ) {
    self.configuration = configuration
    self.logger = logger
    self.connect = connect
  }

  /// One pass: sends every owed dead letter whose claim is older than the claim lifetime at
  /// `now()`, until none is left or the broker fails (the rest waits for the next pass). Returns
  /// how many were sent.
  @discardableResult
  func sweep(
    _ connection: any SQLConnection, publisher: DeadLetterPublisher,
    now: () -> Date = Date.init
  ) throws -> Int {
    let ledger = Ledger(connection: connection)
    let lifetime = configuration.deadLetterClaimLifetime
    let lifetimeSeconds = Double(lifetime.components.seconds)
    var sent = 0
    while !stopped.value {
      let cutoff = now().addingTimeInterval(-lifetimeSeconds)
      let owed = try ledger.owedDeadLetters(claimedBefore: cutoff, limit: Self.pageSize)
      for row in owed {
        if stopped.value { return sent }
        // Another worker's sweep may have taken it since the query: then it is theirs to send.
        guard let claimed = try ledger.claimDeadLetter(row, claimedBefore: cutoff, at: now())
        else { continue }
        let metadata: Logger.Metadata = [
          "topic": "\(publisher.topic)", "ledger_row": "\(row.row)",
          "provider": "\(row.entry.provider)", "path": "\(row.entry.relativePath)",
          "reason": "\(row.entry.message ?? "")", "rejected_at": "\(row.entry.startedAt)",
        ]
        do {
          try publisher.publish(owed: claimed)
        } catch {
          // The claim stays: this row, and the rest, are tried again once it has aged.
          logger.warning(
            "cannot send a dead letter the ledger owes; trying again later",
            metadata: metadata.merging(["error": "\(error)"]) { $1 })
          return sent
        }
        try ledger.markDeadLetterAcknowledged(claimed, at: now())
        sent += 1
        logger.notice(
          "sent a dead letter the ledger owed (its rejection was never acknowledged by the broker)",
          metadata: metadata)
      }
      if owed.count < Self.pageSize { break }
    }
    return sent
  }

  /// Starts the periodic pass on a thread of its own.
  func start() {
    let thread = Thread { [self] in
      loop()
      finished.signal()
    }
    thread.name = "lmsds-dead-letter-sweep"
    thread.start()
  }

  /// Ends the thread: a pass in flight stops after the row it is sending. Waits up to `wait`,
  /// so the broker's acknowledgement of that row can still reach the ledger.
  func stop(waiting wait: Duration) {
    stopped.set(true)
    _ = finished.wait(timeout: .now() + wait.seconds)
  }

  private func loop() {
    let publisher: DeadLetterPublisher
    do {
      publisher = try DeadLetterPublisher(
        configuration: configuration.deadLetterProducer, topic: configuration.deadLetterTopic)
    } catch {
      logger.error(
        "cannot start the dead-letter sweep; dead letters the ledger owes wait for another worker",
        metadata: ["error": "\(error)"])
      return
    }
    defer { publisher.close() }
    PeriodicLedgerPass(
      interval: configuration.deadLetterSweepInterval, stopped: stopped, connect: connect,
      logger: logger, failure: "cannot look for owed dead letters"
    ).run { try sweep($0, publisher: publisher) }
  }
}
