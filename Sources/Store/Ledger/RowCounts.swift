/// What applying one file did to its rows.
public struct RowCounts: Sendable, Hashable, Codable {
  public var rowsRead = 0
  public var inserted = 0
  public var updated = 0
  public var restored = 0
  public var unchanged = 0
  public var softDeleted = 0
  public var orphans = 0
  public var invalid = 0
  public var rounded = 0

  public init() {}

  public static func + (lhs: RowCounts, rhs: RowCounts) -> RowCounts {
    var sum = lhs
    sum.rowsRead += rhs.rowsRead
    sum.inserted += rhs.inserted
    sum.updated += rhs.updated
    sum.restored += rhs.restored
    sum.unchanged += rhs.unchanged
    sum.softDeleted += rhs.softDeleted
    sum.orphans += rhs.orphans
    sum.invalid += rhs.invalid
    sum.rounded += rhs.rounded
    return sum
  }
}
