/// Load-semantics §3 within a provider: resource rank, then the name's timestamp, then the path
/// by bytes (not by Unicode collation, so every process agrees). The scan and the replay sort by
/// it, each adding its own grouping or tie-break around it.
public struct ApplyOrder: Equatable, Sendable {
  public let rank: Int
  public let nameTimestamp: NameTimestamp
  public let relativePath: String

  public init(resource: ResourceKind, nameTimestamp: NameTimestamp, relativePath: String) {
    self.rank = resource.rank
    self.nameTimestamp = nameTimestamp
    self.relativePath = relativePath
  }

  public static func precedes(_ lhs: ApplyOrder, _ rhs: ApplyOrder) -> Bool {
    if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
    if lhs.nameTimestamp != rhs.nameTimestamp { return lhs.nameTimestamp < rhs.nameTimestamp }
    return lhs.relativePath.utf8.lexicographicallyPrecedes(rhs.relativePath.utf8)
  }
}
