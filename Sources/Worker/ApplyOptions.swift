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

  public init(
    allowMassDelete: Bool = false, retryRejected: Bool = false, appliedBy: String = "lmsds",
    reportLimit: Int = 20
  ) {
    self.allowMassDelete = allowMassDelete
    self.retryRejected = retryRejected
    self.appliedBy = appliedBy
    self.reportLimit = reportLimit
  }
}
