import Foundation
import Messages
import Store

/// Applies files in order, many to a transaction (each file still atomic with its ledger row),
/// through the one transaction driver; a transaction that lost a lock conflict is tried again.
public final class BatchApplier {
  public let transaction: ApplyTransaction
  public let maxFilesPerTransaction: Int
  /// How often a batch that lost a lock conflict is tried again.
  public let conflictRetries: Int

  public init(
    transaction: ApplyTransaction, maxFilesPerTransaction: Int = 2_000, conflictRetries: Int = 5
  ) {
    self.transaction = transaction
    self.maxFilesPerTransaction = max(1, maxFilesPerTransaction)
    self.conflictRetries = conflictRetries
  }

  /// Applies `files` in the given order; `committed` sees each result once its transaction commits.
  public func apply(_ files: [FileToApply], committed: (ApplyResult) -> Void) throws {
    var start = 0
    while start < files.count {
      let end = min(files.count, start + maxFilesPerTransaction)
      let items = files[start..<end].map { ApplyItem.apply($0) }
      var attempt = 0
      while true {
        do {
          let results = try transaction.run(items)
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
}
