import UDM

/// The dialect's names, types, row limits and savepoints, for the SQL outside the per-file merge
/// (ledger, wave and empty-scope statements): a thin facade over the dialect's `MergeRenderer`.
public struct SQLFlavor: Sendable, Hashable {
  public let dialect: SQLDialect
  public let renderer: any MergeRenderer

  public init(_ dialect: SQLDialect) {
    self.dialect = dialect
    self.renderer = dialect.mergeRenderer
  }

  public static func == (lhs: SQLFlavor, rhs: SQLFlavor) -> Bool { lhs.dialect == rhs.dialect }
  public func hash(into hasher: inout Hasher) { hasher.combine(dialect) }

  public func table(_ name: String) -> String { renderer.table(name) }
  public func timestamp(_ placeholder: String) -> String { renderer.timestamp(placeholder) }
  public func rowLimit(_ count: Int) -> (top: String, limit: String) { renderer.rowLimit(count) }
  public func stagingType(_ type: ColumnType) -> String { renderer.stagingType(type) }
  public func savepoint(_ name: String) -> String { renderer.savepoint(name) }
  public func rollbackToSavepoint(_ name: String) -> String { renderer.rollbackToSavepoint(name) }
  public func releaseSavepoint(_ name: String) -> String? { renderer.releaseSavepoint(name) }
  public var integerType: String { renderer.integerType }
  public var textType: String { renderer.textType }
  /// How many rows one `INSERT … VALUES` of a batch (ledger rows, watermarks, a wave's files)
  /// carries. A server costs a round trip a statement, so rows go 500 at a time, within the
  /// dialect's parameter limit (2,100 a request on SQL Server). SQLite runs in the process: one
  /// cached single-row statement stepped per row costs less than a 500-row one, which it compiles
  /// anew for each row count and keeps compiled (about a megabyte each) in the statement cache.
  public func rowsPerInsert(parametersPerRow: Int) -> Int {
    switch dialect {
    case .sqlite: return 1
    case .sqlserver: return max(1, min(500, 2100 / parametersPerRow))
    case .postgresql: return 500
    }
  }
  /// The set-based merge's forms, where the dialect has them.
  public var waveRenderer: (any WaveRenderer)? { renderer as? any WaveRenderer }
}
