import Store

/// Decides what the worker does after a failure while applying a batch: wait and retry (never
/// skipping a message), reject the file, or stop. A plain state machine that returns actions, so
/// every decision is tested without a database, a broker or a clock.
public struct RetryPolicy: Sendable {
  /// What went wrong.
  public enum Failure: Sendable, Hashable {
    /// The database is away or the session broke (`DatabaseError.Kind.connection`).
    case databaseUnavailable
    /// Two sessions conflicted (deadlock, lock timeout): retry the transaction soon.
    case databaseConflict
    /// Anything else the database refused outside a file's own savepoint: not worth retrying.
    case databaseFailure(String)
    /// The broker did not take a dead-letter message or an offset commit.
    case brokerUnavailable
    /// The file named by the message is missing or differs from it (size, SHA-256).
    case fileMismatch(String)
  }

  /// What to do about it.
  public enum Action: Sendable, Hashable {
    /// Wait, reopen the database session, and apply the same messages again.
    case reconnect(after: Duration)
    /// Wait and try the same step again.
    case retry(after: Duration)
    /// Give up on this file: record it as rejected with this reason (ledger and dead-letter topic).
    case reject(String)
    /// Stop the worker without committing the message's offset.
    case stop(String)
  }

  public var database: Backoff
  public var broker: Backoff
  /// How often a file that is missing or changed is looked at, in all, before it is rejected.
  public let verificationAttempts: Int
  public let verificationDelay: Duration
  private var verificationFailures = 0
  private var conflictFailures = 0

  public init(
    database: Backoff = Backoff(initial: .milliseconds(200), cap: .seconds(10)),
    broker: Backoff = Backoff(initial: .milliseconds(200), cap: .seconds(10)),
    verificationAttempts: Int = 3, verificationDelay: Duration = .seconds(2)
  ) {
    self.database = database
    self.broker = broker
    self.verificationAttempts = max(1, verificationAttempts)
    self.verificationDelay = verificationDelay
  }

  /// Sorts a database error into a failure.
  public static func failure(for error: DatabaseError) -> Failure {
    switch error.kind {
    case .connection: return .databaseUnavailable
    case .conflict: return .databaseConflict
    case .statement, .usage: return .databaseFailure(error.description)
    }
  }

  public mutating func next(after failure: Failure) -> Action {
    switch failure {
    case .databaseUnavailable:
      // Retried for as long as it takes: a message is never skipped because the database is away.
      return .reconnect(after: database.nextDelay())
    case .databaseConflict:
      conflictFailures += 1
      // Conflicts resolve by themselves; a short, growing pause avoids meeting the same session again.
      return .retry(after: .milliseconds(50) * min(conflictFailures, 20))
    case .databaseFailure(let reason):
      return .stop("the database refused the batch: \(reason)")
    case .brokerUnavailable:
      return .retry(after: broker.nextDelay())
    case .fileMismatch(let reason):
      verificationFailures += 1
      if verificationFailures >= verificationAttempts {
        verificationFailures = 0
        return .reject(reason)
      }
      return .retry(after: verificationDelay)
    }
  }

  /// The step succeeded: the next failure starts a fresh count.
  public mutating func succeeded() {
    database.reset()
    broker.reset()
    verificationFailures = 0
    conflictFailures = 0
  }

  /// A new file is being verified: earlier files' attempts do not count against it.
  public mutating func startVerifying() { verificationFailures = 0 }
}
