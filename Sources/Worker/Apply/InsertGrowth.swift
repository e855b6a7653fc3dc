import Messages

/// Rows a session inserted per table, in all and when it last refreshed the table's statistics.
///
/// A table filled in this session keeps the statistics of its smaller self, and the planner then
/// scans it whole for every lookup. Like autovacuum's scale factor, but now: the statistics are
/// refreshed each time the table has grown by as much again since they were taken, and at least
/// `minimum` rows. What the table held before the session is the statistics' own row estimate
/// where the caller can read it (`storedRows`), else taken as nothing.
/// Shared by the per-file and the set-based merge.
struct InsertGrowth {
  static let minimum = 100
  private var tables: [ResourceKind: (inserted: Int, atRefresh: Int, stored: Int)] = [:]

  /// Counts `count` new rows of `resource`'s table, and runs `analyze` (where the dialect has one)
  /// through `execute` when they call for a refresh. `storedRows` is asked once per table and
  /// session, before its first refresh.
  mutating func note(
    _ count: Int, into resource: ResourceKind, analyze: String?,
    storedRows: () throws -> Int = { 0 }, execute: (String) throws -> Void
  ) rethrows {
    guard count > 0 || tables[resource] != nil else { return }
    var growth =
      try tables[resource]
      ?? (inserted: 0, atRefresh: 0, stored: analyze == nil ? 0 : max(0, storedRows()))
    growth.inserted += count
    let sinceRefresh = growth.inserted - growth.atRefresh
    if sinceRefresh >= max(Self.minimum, growth.atRefresh + growth.stored), let analyze {
      try execute(analyze)
      growth.atRefresh = growth.inserted
    }
    tables[resource] = growth
  }

  /// Forgets every count, after a rollback that took the rows away.
  mutating func reset() { tables.removeAll() }
}
