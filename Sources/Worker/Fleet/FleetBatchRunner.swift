import Foundation
import Kafka
import Logging
import Messages
import Store

/// The apply side of a worker: resolves and verifies messages, applies them through the file
/// applier several to a transaction, rides out database outages, and publishes refusals to the
/// dead-letter topic. Runs on one thread at a time (the executor's serial queue).
///
/// `@unchecked Sendable`: the database session (`session`) is only touched from the executor's
/// serial queue; everything else is immutable or Sendable.
final class FleetBatchRunner: @unchecked Sendable {
  private let configuration: FleetConfiguration
  private let options: ApplyOptions
  private let logger: Logger
  private let connect: @Sendable () throws -> any SQLConnection
  private let resolver: MessageResolver
  private let verifier: FileVerifier
  private let deadLetters: DeadLetterPublisher
  private let control: FleetControl
  private let health: FleetHealth
  private var session: (connection: any SQLConnection, transaction: ApplyTransaction)?

  init(
    configuration: FleetConfiguration, options: ApplyOptions, logger: Logger,
    connect: @escaping @Sendable () throws -> any SQLConnection, deadLetters: DeadLetterPublisher,
    control: FleetControl, health: FleetHealth
  ) {
    self.configuration = configuration
    var owing = options
    // Every rejection a worker records is owed a dead letter, tracked in the ledger until sent.
    owing.owesDeadLetters = true
    self.options = owing
    self.logger = logger
    self.connect = connect
    self.resolver = MessageResolver(sourcesDirectory: configuration.sourcesDirectory)
    self.verifier = FileVerifier(archive: configuration.archive)
    self.deadLetters = deadLetters
    self.control = control
    self.health = health
  }

  /// Applies a leading part of `batch` (at most one transaction's worth) and reports what is done.
  func run(_ batch: [PartitionTracker.Stamped]) -> BatchOutcome {
    var outcome = BatchOutcome()
    var policy = configuration.retryPolicy
    let (prepared, parked, abandoned) = prepare(batch, policy: &policy)
    outcome.parked = parked
    if abandoned || prepared.isEmpty {
      outcome.abandoned = abandoned
      return outcome
    }
    // The transaction, as often as an outage or a conflict takes; never past an unapplied message.
    // Bytes staged that do not match their message are looked at again, as a file is before the
    // transaction, and recorded rejected once the policy gives up on them.
    var results: [ApplyResult?] = []
    var recordMismatches = false
    policy.startVerifying()
    while true {
      do {
        results = try transact(prepared, recordMismatches: recordMismatches)
        policy.succeeded()
        health.markDatabase(unavailable: nil)
        break
      } catch is AbandonedTransaction {
        return abandon(outcome)
      } catch let changed as StagedContentChanged {
        switch policy.next(after: .fileMismatch(changed.reason)) {
        case .retry(let delay):
          logger.warning(
            "a file's bytes do not match its message yet; retrying the batch",
            metadata: ["reason": "\(changed.reason)", "retry_in": "\(delay)"])
          guard control.sleep(delay) else { return abandon(outcome) }
        default:
          logger.error(
            "a file's bytes do not match its message", metadata: ["reason": "\(changed.reason)"])
          recordMismatches = true
        }
      } catch let error as DatabaseError {
        if error.kind == .connection { dropSession() }
        switch policy.next(after: RetryPolicy.failure(for: error)) {
        case .reconnect(let delay):
          health.markDatabase(unavailable: "\(error)")
          logger.warning(
            "database unavailable; retrying the batch",
            metadata: ["error": "\(error)", "retry_in": "\(delay)"])
          guard control.sleep(delay) else { return abandon(outcome) }
        case .retry(let delay):
          logger.notice("database conflict; retrying the batch", metadata: ["error": "\(error)"])
          guard control.sleep(delay) else { return abandon(outcome) }
        case .stop(let reason), .reject(let reason):
          dropSession()
          outcome.stopReason = reason
          return outcome
        }
      } catch {
        dropSession()
        outcome.stopReason = "applying failed: \(error)"
        return outcome
      }
    }
    // Durable now (`results` covers a leading part when a stop cut the transaction short).
    // Refusals go to the dead-letter topic before any offset is committed. A rejection's dead
    // letter the ledger owes until the broker acknowledged it: once the worker is stopping, what
    // is not sent yet is left to a sweep (`DeadLetterSweep`) and the offset committed anyway.
    var leaveToSweep = false
    for (index, item) in prepared.prefix(results.count).enumerated() {
      let result = results[index]
      switch item.action {
      case .deadLetter(let reason):
        // No ledger row holds this refusal: the offset waits until the dead letter is sent.
        guard publishDeadLetter(item, reason: reason, result: nil, policy: &policy) else {
          return abandon(outcome)
        }
      case .apply, .reject:
        if let result, result.outcome == .rejected, !leaveToSweep {
          leaveToSweep = !sendOwedDeadLetter(item, result: result, policy: &policy)
        }
      }
      outcome.done.append(item.stamped)
      if let result { outcome.results.append(result) }
    }
    return outcome
  }

  private func abandon(_ outcome: BatchOutcome) -> BatchOutcome {
    var copy = outcome
    copy.abandoned = true
    return copy
  }

  // MARK: - Before the transaction

  /// Resolves and verifies messages from the start of `batch` until the transaction is full or
  /// old enough. A message this worker cannot apply yet parks its partition: the partition's later
  /// messages are left out (they must wait behind it), other partitions' go on.
  private func prepare(_ batch: [PartitionTracker.Stamped], policy: inout RetryPolicy)
    -> (prepared: [PreparedMessage], parked: [BatchOutcome.Park], abandoned: Bool)
  {
    let started = ContinuousClock.now
    var prepared: [PreparedMessage] = []
    var parked: [BatchOutcome.Park] = []
    var blocked = Set<TopicPartition>()
    var roots = ProviderRoots()
    for stamped in batch {
      if prepared.count >= configuration.maxMessagesPerTransaction { break }
      if !prepared.isEmpty, ContinuousClock.now - started >= configuration.maxTransactionTime {
        break
      }
      if blocked.contains(stamped.message.topicPartition) { continue }
      let decoded = stamped.decoded ?? resolver.decode(stamped.message.value)
      switch resolver.resolve(decoded, roots: &roots) {
      case .park(let reason):
        blocked.insert(stamped.message.topicPartition)
        parked.append(BatchOutcome.Park(stamped: stamped, reason: reason))
      case .deadLetter(let reason):
        let key = stamped.message.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
        logger.error(
          "message refused",
          metadata: [
            "provider": "\(key)", "message": "\(stamped.message)", "reason": "\(reason)",
          ])
        prepared.append(PreparedMessage(stamped: stamped, action: .deadLetter(reason: reason)))
      case .file(let message, let root, let force):
        guard
          let action = verify(message, root: root, force: force, roots: &roots, policy: &policy)
        else {
          return (prepared, parked, true)
        }
        prepared.append(PreparedMessage(stamped: stamped, action: action))
      }
    }
    return (prepared, parked, false)
  }

  /// Looks at the file until it matches the message, or the policy gives up; `nil` when the
  /// worker is stopping meanwhile.
  private func verify(
    _ message: FileMessage, root: String, force: Bool, roots: inout ProviderRoots,
    policy: inout RetryPolicy
  ) -> PreparedMessage.Action? {
    let location = message.location!  // decode guarantees a location
    var file = FileToApply(
      provider: message.provider, absolutePath: root + "/" + message.relativePath,
      relativePath: message.relativePath, location: location, sha256: message.sha256,
      size: message.size, scanID: message.scanId, replay: message.replay, force: force,
      publishedAt: message.publishedDate.map(CanonicalTime.text))
    // Only built when something is logged: a message at a time, it cost as much as the checks.
    func metadata(_ extra: Logger.Metadata) -> Logger.Metadata {
      let file: Logger.Metadata = [
        "provider": "\(message.provider)", "resource": "\(location.resource.rawValue)",
        "path": "\(message.relativePath)",
      ]
      return file.merging(extra) { $1 }
    }
    policy.startVerifying()
    while true {
      switch verifier.verify(message, root: root, roots: &roots) {
      case .verified(let path):
        file.absolutePath = path
        return .apply(file)
      case .refused(let reason):
        logger.error("file refused", metadata: metadata(["reason": "\(reason)"]))
        return .reject(file, reason: "\(message.relativePath): \(reason)", mismatched: false)
      case .mismatch(let reason):
        // A file the ledger already holds is a redelivery: it becomes `duplicate`, no waiting.
        // A message already found not to match its file is refused again, no waiting either.
        if !force, alreadyInLedger(file) || alreadyMismatched(file) {
          return .reject(file, reason: "\(message.relativePath): \(reason)", mismatched: true)
        }
        switch policy.next(after: .fileMismatch(reason)) {
        case .retry(let delay):
          logger.warning(
            "file does not match its message yet; looking again",
            metadata: metadata(["reason": "\(reason)", "retry_in": "\(delay)"]))
          guard control.sleep(delay) else { return nil }
          // Looked at afresh after the wait: a root may have been mounted or moved meanwhile.
          roots = ProviderRoots()
        default:
          logger.error(
            "file does not match its message",
            metadata: metadata(["reason": "\(reason)"]))
          return .reject(file, reason: "\(message.relativePath): \(reason)", mismatched: true)
        }
      }
    }
  }

  private func alreadyInLedger(_ file: FileToApply) -> Bool {
    guard let identity = file.identity, let session = try? openSession() else { return false }
    let ledger = Ledger(connection: session.connection)
    guard let outcomes = try? ledger.outcomes(of: [identity]) else { return false }
    // A message published after the identity's rejection re-offers it (`LedgerHistory`).
    var history = LedgerHistory(outcomes: outcomes)
    try? history.readRejectionTimes(for: [file], from: ledger)
    return OutcomeDecider(retryRejected: options.retryRejected).isKnown(
      outcomes[identity] ?? [], publishedAfterRejection: history.publishedAfterRejection(file))
  }

  private func alreadyMismatched(_ file: FileToApply) -> Bool {
    guard let identity = file.identity, let session = try? openSession() else { return false }
    return
      (try? Ledger(connection: session.connection).mismatchRecorded(identity, size: file.size))
      ?? false
  }

  // MARK: - The transaction

  private func openSession() throws
    -> (connection: any SQLConnection, transaction: ApplyTransaction)
  {
    if let session { return session }
    let connection = try connect()
    let opened = (
      connection,
      ApplyTransaction(connection: connection, options: options, logger: logger)
    )
    session = opened
    control.use(connection.makeStatementCanceller())
    return opened
  }

  private func dropSession() {
    control.use(nil)
    if let connection = session?.connection { _ = try? connection.rollback() }
    session = nil
  }

  /// One transaction over the prepared messages; a result per message applied (`nil` for dead
  /// letters), for a leading part of `prepared`. Unless `recordMismatches`, a file whose bytes
  /// staged do not match its message rolls it all back (`StagedContentChanged`). A stop request cuts it short at the first wave
  /// boundary where what is done is such a leading part, and that commits; an abandon request
  /// rolls it all back (`AbandonedTransaction`).
  private func transact(_ prepared: [PreparedMessage], recordMismatches: Bool) throws
    -> [ApplyResult?]
  {
    let (_, transaction) = try openSession()
    var items: [ApplyItem] = []
    for item in prepared {
      switch item.action {
      case .deadLetter: break
      case .apply(let file): items.append(.apply(file))
      case .reject(let file, let reason, let mismatched):
        items.append(.refuse(file, reason: reason, mismatched: mismatched))
      }
    }
    configuration.metrics.inFlight(items.count)
    defer { configuration.metrics.inFlight(0) }
    let control = self.control
    let delay = configuration.delayPerFile
    let done = try transaction.run(
      items,
      control: TransactionControl(
        shouldStop: { control.isStopping },
        shouldAbandon: { control.isAbandoning },
        beforeFiles: { files in
          delay == .zero || control.sleep(delay * files.count, evenWhileStopping: true)
        }, recordMismatches: recordMismatches))
    var results: [ApplyResult?] = []
    var next = done.makeIterator()
    for item in prepared {
      if case .deadLetter = item.action {
        results.append(nil)
      } else if let result = next.next() {
        results.append(result)
      } else {
        break
      }
    }
    return results
  }

  // MARK: - After the transaction

  /// Sends the dead letter of a rejection just committed, under its ledger row's claim, and
  /// records the broker's acknowledgement there. While the broker or the database is away it
  /// tries again, renewing the claim each time so no sweep takes the row over; false once the
  /// worker is stopping meanwhile: the ledger still owes the dead letter, and a sweep sends it.
  private func sendOwedDeadLetter(
    _ item: PreparedMessage, result: ApplyResult, policy: inout RetryPolicy
  ) -> Bool {
    let entry = result.entry
    let reason = entry.message ?? "rejected"
    var metadata: Logger.Metadata = [
      "topic": "\(deadLetters.topic)", "provider": "\(entry.provider)",
      "path": "\(entry.relativePath)", "resource": "\(entry.resource.rawValue)",
      "reason": "\(reason)",
    ]
    var held: OwedDeadLetter?
    var sent = false
    while true {
      do {
        let ledger = Ledger(connection: try openSession().connection, owesDeadLetters: true)
        if !sent {
          let claim = try held ?? ledger.owedDeadLetterRow(of: entry)
          guard let claim, let renewed = try ledger.renewDeadLetterClaim(claim, at: Date()) else {
            // Taken over by a sweep after a transaction that outlasted the claim: theirs now.
            logger.notice(
              "another worker's sweep sends this dead letter", metadata: metadata)
            return true
          }
          held = renewed
          metadata["ledger_row"] = "\(renewed.row)"
          try deadLetters.publish(
            original: item.stamped.message, reason: reason, provider: entry.provider.rawValue,
            path: entry.relativePath)
          sent = true
          logger.info("published to the dead-letter topic", metadata: metadata)
        }
        if let held { try ledger.markDeadLetterAcknowledged(held, at: Date()) }
        policy.succeeded()
        return true
      } catch {
        let failure: RetryPolicy.Failure
        if let error = error as? DatabaseError {
          if error.kind == .connection { dropSession() }
          failure = .databaseUnavailable
        } else {
          failure = .brokerUnavailable
        }
        let delay: Duration
        switch policy.next(after: failure) {
        case .retry(let after), .reconnect(let after): delay = after
        case .reject, .stop: delay = .seconds(1)
        }
        logger.warning(
          sent
            ? "cannot record the dead letter's acknowledgement in the ledger; retrying"
            : "cannot publish to the dead-letter topic; retrying",
          metadata: metadata.merging(["error": "\(error)", "retry_in": "\(delay)"]) { $1 })
        // Keeps trying through a graceful stop for a while, then leaves it to a sweep.
        let failures = max(policy.broker.failures, policy.database.failures)
        guard control.sleep(delay, evenWhileStopping: failures < 5) else {
          logger.warning(
            sent
              ? "stopping before the ledger recorded the dead letter's acknowledgement; a sweep sends it again"
              : "stopping before the dead letter was acknowledged; the ledger owes it, and a worker's sweep sends it",
            metadata: metadata)
          return false
        }
      }
    }
  }

  /// Publishes one refusal, retrying while the broker is away; false when the worker is stopping
  /// meanwhile (the offset is then not committed).
  private func publishDeadLetter(
    _ item: PreparedMessage, reason: String, result: ApplyResult?, policy: inout RetryPolicy
  ) -> Bool {
    let provider = result.map { $0.entry.provider.rawValue }
    let path = result?.entry.relativePath
    while true {
      do {
        try deadLetters.publish(
          original: item.stamped.message, reason: reason, provider: provider, path: path)
        policy.succeeded()
        logger.info(
          "published to the dead-letter topic",
          metadata: [
            "topic": "\(deadLetters.topic)", "provider": "\(provider ?? "")",
            "path": "\(path ?? "")",
            "resource": "\(result?.entry.resource.rawValue ?? "")", "reason": "\(reason)",
          ])
        return true
      } catch {
        guard case .retry(let delay) = policy.next(after: .brokerUnavailable) else { return false }
        logger.warning(
          "cannot publish to the dead-letter topic; retrying",
          metadata: ["error": "\(error)", "retry_in": "\(delay)", "path": "\(path ?? "")"])
        // Keeps trying through a graceful stop for a while: the ledger already holds the refusal.
        guard control.sleep(delay, evenWhileStopping: policy.broker.failures < 5) else {
          return false
        }
      }
    }
  }
}
