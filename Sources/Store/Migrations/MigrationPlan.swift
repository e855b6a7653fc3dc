/// What `migrate --dry-run` reports: the scripts a migration would run, and the scripts of ours
/// the database holds that this binary does not know (a newer lmsds migrated it).
public struct MigrationPlan: Sendable, Hashable {
  public var pending: [String]
  public var unknown: [String]

  public init(pending: [String], unknown: [String]) {
    self.pending = pending
    self.unknown = unknown
  }
}
