import ExtractorTree
import Foundation
import Logging
import Messages
import Store

/// What a transaction is asked to do with one file.
public enum ApplyItem: Sendable {
  /// Read and merge it (unless the ledger makes it a duplicate or superseded).
  case apply(FileToApply)
  /// Record it refused without reading it (a worker could not verify it), unless the ledger
  /// makes it a duplicate or superseded. `mismatched` when the file found differs from the size or
  /// SHA-256 the message claimed: the row then does not make the claimed identity known.
  case refuse(FileToApply, reason: String, mismatched: Bool)

  public var file: FileToApply {
    switch self {
    case .apply(let file), .refuse(let file, _, _): return file
    }
  }
}

/// How a caller steers a transaction in flight (the worker's stop and abandon).
public struct TransactionControl: Sendable {
  /// Asked between waves: end the transaction early, committing what is done.
  public var shouldStop: @Sendable () -> Bool
  /// Asked between waves: give up, rolling everything back (`AbandonedTransaction`).
  public var shouldAbandon: @Sendable () -> Bool
  /// Called before a wave with its files; false abandons (a test hook's pause).
  public var beforeFiles: @Sendable ([FileToApply]) -> Bool
  /// True: a file whose bytes do not match its identity is recorded rejected. False: the
  /// transaction rolls back with `StagedContentChanged`, so the caller can look again later (a
  /// worker, while the file may still be being replaced).
  public var recordMismatches: Bool

  public init(
    shouldStop: @escaping @Sendable () -> Bool = { false },
    shouldAbandon: @escaping @Sendable () -> Bool = { false },
    beforeFiles: @escaping @Sendable ([FileToApply]) -> Bool = { _ in true },
    recordMismatches: Bool = true
  ) {
    self.shouldStop = shouldStop
    self.shouldAbandon = shouldAbandon
    self.beforeFiles = beforeFiles
    self.recordMismatches = recordMismatches
  }
}

/// The worker was told to give up the work in flight: the transaction is rolled back, nothing of
/// it is committed, and the next owner of the partition applies those files again.
public struct AbandonedTransaction: Error {}

/// The one transaction driver of `lmsds load` and `lmsds work`: begin, every provider lock of the
/// batch in one canonical order, the outcome decisions against the ledger history read once,
/// waves merged set-based (file by file where that is not possible), ledger rows, commit. On any
/// rollback the session's state (staging tables, statistics bookkeeping) is forgotten, so the
/// next transaction on the same session starts clean.
public final class ApplyTransaction {
  public let connection: any SQLConnection
  public let options: ApplyOptions
  public let setBased: Bool
  let perFile: FileApplier
  let waves: WaveApplier
  let ledger: Ledger
  let decider: OutcomeDecider
  let logger: Logger

  /// `options.setBased` false applies every file through the per-file applier (the fallback, and
  /// the oracle the tests compare the set-based merge with). SQL Server is always per file for now.
  public init(connection: any SQLConnection, options: ApplyOptions, logger: Logger) {
    self.connection = connection
    self.options = options
    self.setBased = options.mergesWaves(on: connection.dialect)
    self.perFile = FileApplier(connection: connection, options: options, logger: logger)
    self.waves = WaveApplier(connection: connection, options: options)
    self.ledger = Ledger(connection: connection, owesDeadLetters: options.owesDeadLetters)
    self.decider = OutcomeDecider(retryRejected: options.retryRejected)
    self.logger = logger
  }

  /// Forgets the session's staging state: after a rollback, or a connection that was replaced.
  public func transactionRolledBack() {
    perFile.transactionRolledBack()
    waves.transactionRolledBack()
  }

  /// Applies `items` in one transaction and returns a result for each one applied, in the order
  /// given. A stop cuts the transaction at the first wave boundary where the files done are a
  /// leading part of `items` (so a caller can acknowledge exactly those), and what is done commits.
  public func run(_ items: [ApplyItem], control: TransactionControl = TransactionControl())
    throws -> [ApplyResult]
  {
    guard !items.isEmpty else { return [] }
    var files = items.map(\.file)
    let startedAt = CanonicalTime.now()
    var results: [Int: ApplyResult] = [:]
    try connection.begin()
    do {
      let providers = Set(files.map(\.provider)).sorted {
        ProviderLock.key(for: $0) < ProviderLock.key(for: $1)
      }
      for provider in providers { try perFile.lock(provider) }
      if let raise = WaveStatements.raiseWorkMemory(SQLFlavor(connection.dialect)) {
        _ = try connection.query(raise)
      }
      var history = try LedgerHistory.read(for: files, from: ledger)
      // Another process may have loaded a path since the scan found it new: its digest decides.
      for index in files.indices
      where files[index].sha256 == nil && history.hasHistory(at: files[index]) {
        files[index] = Self.hashedNow(files[index])
      }
      var ownership = try SourceSystemOwnership.read(from: ledger)
      for wave in WavePlanner().plan(files) {
        if control.shouldAbandon() { throw AbandonedTransaction() }
        if control.shouldStop(), !results.isEmpty,
          results.count == results.keys.max().map({ $0 + 1 })
        {
          break
        }
        guard control.beforeFiles(wave.map { files[$0] }) else { throw AbandonedTransaction() }
        let clock = ContinuousClock.now
        var entries: [Int: LedgerEntry] = [:]
        var toMerge: [Int] = []
        for index in wave {
          let file = files[index]
          switch decider.decide(file, history: history) {
          case .duplicate:
            entries[index] = entry(for: file, outcome: .duplicate, at: startedAt)
          case .superseded(let newest):
            var superseded = entry(for: Self.hashedNow(file), outcome: .superseded, at: startedAt)
            superseded.message = OutcomeDecider.supersededMessage(newest)
            entries[index] = superseded
          case .apply:
            if case .refuse(_, let reason, let mismatched) = items[index] {
              var refused = entry(for: file, outcome: .rejected, at: startedAt)
              refused.message = reason
              refused.mismatched = mismatched
              entries[index] = refused
            } else {
              toMerge.append(index)
            }
          }
        }
        var mergedPerFile: [Int: ApplyResult] = [:]
        var oneByOne = toMerge
        var filledDirectly: Set<Int> = []
        if setBased, !toMerge.isEmpty {
          if let merged = try mergeAtOnce(toMerge, files, startedAt, history, &ownership) {
            entries.merge(merged.entries) { $1 }
            oneByOne = merged.deferred
            if waves.filledDirectly { filledDirectly = Set(merged.entries.keys) }
          }
        }
        try record(entries)
        mergedPerFile = try applyOneByOne(oneByOne, files, startedAt)
        if !control.recordMismatches {
          let staged = entries.merging(mergedPerFile.mapValues(\.entry)) { $1 }
          if let changed = staged.sorted(by: { $0.key < $1.key }).first(where: { index, entry in
            guard case .apply = items[index] else { return false }
            return entry.mismatched
          }) {
            throw StagedContentChanged(reason: changed.value.message ?? "the file changed")
          }
        }
        if !oneByOne.isEmpty { ownership = try SourceSystemOwnership.read(from: ledger) }
        let spent = ContinuousClock.now - clock
        logger.debug(
          "wave applied",
          metadata: [
            "resource": "\(files[wave[0]].location.resource.rawValue)", "files": "\(wave.count)",
            "merged_at_once": "\(toMerge.count - oneByOne.count)",
            "file_by_file": "\(oneByOne.count)", "filled_directly": "\(filledDirectly.count)",
            "seconds": "\(spent.seconds)",
          ])
        let share = spent / max(1, wave.count)
        for (index, entry) in entries {
          history.record(entry)
          results[index] = ApplyResult(entry: entry, applyDuration: share)
          results[index]?.filledDirectly = filledDirectly.contains(index)
        }
        for (index, result) in mergedPerFile {
          history.record(result.entry)
          var timed = result
          timed.applyDuration = timed.applyDuration ?? share
          results[index] = timed
        }
      }
      if control.shouldAbandon() { throw AbandonedTransaction() }
      try connection.commit()
    } catch {
      _ = try? connection.rollback()
      transactionRolledBack()
      // A statement cancelled by the abandon request fails like any other: it is the abandon.
      if control.shouldAbandon() { throw AbandonedTransaction() }
      throw error
    }
    return (0..<items.count).compactMap { results[$0] }
  }

  static let savepoint = "lmsds_wave"

  /// Merges a wave's files at once under a savepoint; nil when the wave must go file by file
  /// (rolled back to the savepoint then). Otherwise the entries by index, and the indices of files
  /// left to the per-file path (another header layout).
  private func mergeAtOnce(
    _ indices: [Int], _ files: [FileToApply], _ startedAt: String, _ history: LedgerHistory,
    _ ownership: inout SourceSystemOwnership
  ) throws -> (entries: [Int: LedgerEntry], deferred: [Int])? {
    try waves.prepareTables(for: files[indices[0]].location.resource)
    let flavor = SQLFlavor(connection.dialect)
    var attempt = ownership
    try connection.execute(flavor.savepoint(Self.savepoint))
    let merged: [LedgerEntry]
    do {
      merged = try waves.apply(
        indices.map { files[$0] }, deletedAt: startedAt, history: history, ownership: &attempt)
    } catch let error
      where error is WaveNeedsFilesOneByOne || (error as? DatabaseError)?.kind == .statement
    {
      try connection.execute(flavor.rollbackToSavepoint(Self.savepoint))
      if let release = flavor.releaseSavepoint(Self.savepoint) { try connection.execute(release) }
      return nil
    }
    if let release = flavor.releaseSavepoint(Self.savepoint) { try connection.execute(release) }
    ownership = attempt
    let deferredFiles = Set(waves.deferred)
    var entries: [Int: LedgerEntry] = [:]
    var deferred: [Int] = []
    var next = merged.makeIterator()
    for index in indices {
      if deferredFiles.contains(files[index]) {
        deferred.append(index)
      } else {
        entries[index] = next.next()
      }
    }
    return (entries, deferred)
  }

  private func applyOneByOne(_ indices: [Int], _ files: [FileToApply], _ startedAt: String) throws
    -> [Int: ApplyResult]
  {
    var results: [Int: ApplyResult] = [:]
    for index in indices {
      let started = ContinuousClock.now
      var result = try perFile.apply(files[index], deletedAt: startedAt)
      result.applyDuration = ContinuousClock.now - started
      results[index] = result
    }
    return results
  }

  /// A wave's ledger rows and watermarks, a statement each.
  private func record(_ entries: [Int: LedgerEntry]) throws {
    guard !entries.isEmpty else { return }
    let ordered = entries.sorted { $0.key < $1.key }.map(\.value)
    try ledger.record(ordered)
    var marks: [ScopeID: NameTimestamp] = [:]
    for entry in ordered where entry.outcome == .loaded && entry.resource != .systemActivities {
      let scope = ScopeID(
        provider: entry.provider, resource: entry.resource, scopeKey: entry.scopeKey)
      if let known = marks[scope], known >= entry.nameTimestamp { continue }
      marks[scope] = entry.nameTimestamp
    }
    if !marks.isEmpty { try ledger.advanceWatermarks(marks) }
  }

  /// An entry for a file not staged. One still unhashed (it could not be read) makes no identity
  /// known: it is offered again.
  private func entry(for file: FileToApply, outcome: FileOutcome, at time: String) -> LedgerEntry {
    var entry = file.ledgerEntry(
      outcome, startedAt: time, finishedAt: CanonicalTime.now(), appliedBy: options.appliedBy)
    entry.mismatched = file.sha256 == nil
    return entry
  }

  /// A file the scan left unhashed, hashed now, where its outcome needs its identity before (or
  /// without) a read that stages it. Unreadable, it stays unhashed.
  static func hashedNow(_ file: FileToApply) -> FileToApply {
    guard file.sha256 == nil, let hashed = try? FileHasher.sha256(path: file.absolutePath) else {
      return file
    }
    var file = file
    file.sha256 = hashed.digest
    return file
  }
}
