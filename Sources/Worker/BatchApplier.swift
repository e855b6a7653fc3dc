import Foundation
import Messages
import Store

/// Applies files in order, several to a transaction: each file stays atomic with its ledger row (a
/// savepoint), while the commit — the expensive, durable part — is shared.
public final class BatchApplier {
  public let applier: FileApplier
  public let maxFilesPerTransaction: Int
  public let maxSecondsPerTransaction: Double
  /// How often a batch that lost a lock conflict is tried again.
  public let conflictRetries: Int

  public init(
    applier: FileApplier, maxFilesPerTransaction: Int = 500,
    maxSecondsPerTransaction: Double = 2, conflictRetries: Int = 5
  ) {
    self.applier = applier
    self.maxFilesPerTransaction = max(1, maxFilesPerTransaction)
    self.maxSecondsPerTransaction = maxSecondsPerTransaction
    self.conflictRetries = conflictRetries
  }

  /// Applies `files` in the given order; `committed` sees each result once its transaction commits.
  public func apply(_ files: [FileToApply], committed: (ApplyResult) -> Void) throws {
    var start = 0
    while start < files.count {
      var attempt = 0
      while true {
        do {
          let results = try applyBatch(files, from: start)
          results.forEach(committed)
          start += results.count
          break
        } catch let error as DatabaseError
          where error.kind == .conflict && attempt < conflictRetries
        {
          attempt += 1
          Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
        }
      }
    }
  }

  /// One transaction: files from `start` until the batch is full or old enough; returns their results.
  private func applyBatch(_ files: [FileToApply], from start: Int) throws -> [ApplyResult] {
    let connection = applier.connection
    let began = Date()
    var results: [ApplyResult] = []
    var locked: Set<ProviderName> = []
    try connection.begin()
    do {
      var index = start
      while index < files.count, results.count < maxFilesPerTransaction,
        results.isEmpty || Date().timeIntervalSince(began) < maxSecondsPerTransaction
      {
        let file = files[index]
        if !locked.contains(file.provider) {
          try applier.lock(file.provider)
          locked.insert(file.provider)
        }
        results.append(try applier.apply(file))
        index += 1
      }
      try connection.commit()
    } catch {
      _ = try? connection.rollback()
      applier.transactionRolledBack()
      throw error
    }
    return results
  }
}
