import Messages

/// Rows a session inserted per table, in all and when it last refreshed the table's statistics.
///
/// A table filled in this session keeps the statistics of its smaller self, and the planner then
/// scans it whole for every lookup. Like autovacuum's scale factor, but now: the statistics are
/// refreshed each time the inserts have grown by as much again, and at least `minimum` rows.
/// Shared by the per-file and the set-based merge.
struct InsertGrowth {
  static let minimum = 100
  private var tables: [ResourceKind: (inserted: Int, atRefresh: Int)] = [:]

  /// Counts `count` new rows of `resource`'s table, and runs `analyze` (where the dialect has one)
  /// through `execute` when they call for a refresh.
  mutating func note(
    _ count: Int, into resource: ResourceKind, analyze: String?,
    execute: (String) throws -> Void
  ) rethrows {
    var growth = tables[resource, default: (inserted: 0, atRefresh: 0)]
    growth.inserted += count
    if growth.inserted - growth.atRefresh >= max(Self.minimum, growth.atRefresh), let analyze {
      try execute(analyze)
      growth.atRefresh = growth.inserted
    }
    tables[resource] = growth
  }

  /// Forgets every count, after a rollback that took the rows away.
  mutating func reset() { tables.removeAll() }
}
