import Store

/// How one process applies files.
public struct ApplyOptions: Sendable, Hashable {
  /// Lift the mass-delete guard for users and sections files.
  public var allowMassDelete: Bool
  /// Re-apply files whose identity was rejected before.
  public var retryRejected: Bool
  /// Recorded in the ledger as who applied each file.
  public var appliedBy: String
  /// How many invalid rows and orphans a ledger message lists.
  public var reportLimit: Int
  /// Merge the files of a wave at once; false applies each file on its own, the way the
  /// set-based merge is checked against (and SQL Server's only way for now). By default (nil):
  /// set-based wherever it exists (PostgreSQL, SQLite): bench/apply.sh measures it ahead of the
  /// per-file path on both.
  public var setBased: Bool?
  /// A worker's: each rejection recorded is owed a dead letter, which the ledger tracks until the
  /// broker acknowledged it (`Ledger.owesDeadLetters`). `lmsds load` has no topic to send it to.
  public var owesDeadLetters = false

  /// Whether `setBased` (or its default) merges waves on `dialect`.
  public func mergesWaves(on dialect: SQLDialect) -> Bool {
    dialect.mergeRenderer.mergesWaves && (setBased ?? true)
  }

  public init(
    allowMassDelete: Bool = false, retryRejected: Bool = false, appliedBy: String = "lmsds",
    reportLimit: Int = 20, setBased: Bool? = nil
  ) {
    self.allowMassDelete = allowMassDelete
    self.retryRejected = retryRejected
    self.appliedBy = appliedBy
    self.reportLimit = reportLimit
    self.setBased = setBased
  }
}
