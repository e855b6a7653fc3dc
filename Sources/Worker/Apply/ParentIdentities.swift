import Store
import UDM

/// Every identity of one parent table for one SourceSystem, by key: what a direct fill of child
/// scopes looks each row's parent up in, so its rows need no stage to be resolved in.
///
/// Read page by page within a budget of bytes: a SourceSystem with more parents than fit (a
/// district of several hundred thousand users) gets nil, and its wave takes the staged merge,
/// which resolves parents in the database whatever their number.
struct ParentIdentities {
  private var identities: [String: Int64] = [:]
  /// What the keys read count against the budget.
  private(set) var bytes = 0

  /// What the keys may take, counting each entry's own overhead; with the rest of a load's
  /// working set this keeps the process within its 64 MB.
  static let byteBudget = 16 << 20
  static let entryOverhead = 48
  static let pageSize = 20_000

  /// Reads every row of `parent` in `system`; nil past the budget.
  static func read(
    _ parent: ParentSpec, sourceSystem system: String, statements: EmptyScopeStatements,
    connection: any SQLConnection, byteBudget: Int = byteBudget, pageSize: Int = pageSize
  ) throws -> ParentIdentities? {
    var read = ParentIdentities()
    var after: String? = nil
    while true {
      let page = try connection.query(
        statements.parentIdentityPage(
          of: parent, sourceSystem: system, after: after, limit: pageSize))
      for row in page {
        guard let key = row.text(0), let identity = row.int(1) else { continue }
        read.bytes += key.utf8.count + entryOverhead
        guard read.bytes <= byteBudget else { return nil }
        read.identities[key] = identity
        after = key
      }
      if page.count < pageSize { return read }
    }
  }

  func identity(of key: UnsafeRawBufferPointer) -> Int64? {
    identities[String(decoding: key, as: UTF8.self)]
  }

  var count: Int { identities.count }
}
