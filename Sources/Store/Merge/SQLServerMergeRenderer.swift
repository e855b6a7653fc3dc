import UDM

/// The merge SQL as SQL Server (T-SQL) says it.
public struct SQLServerMergeRenderer: MergeRenderer {
  public init() {}

  public var dialect: SQLDialect { .sqlserver }

  public func table(_ name: String) -> String { "lms.[\(name)]" }

  public func timestamp(_ placeholder: String) -> String { "CAST(\(placeholder) AS datetime2)" }

  public func rowLimit(_ count: Int) -> (top: String, limit: String) { ("TOP \(count) ", "") }

  public func stagingType(_ type: ColumnType) -> String {
    switch type {
    case .text(let length): return "nvarchar(\(length))"
    case .timestamp: return "datetime2"
    case .date: return "date"
    case .integer: return "int"
    }
  }

  public var integerType: String { "int" }
  public var textType: String { "nvarchar(4000)" }

  public func savepoint(_ name: String) -> String { "SAVE TRANSACTION \(name)" }
  public func rollbackToSavepoint(_ name: String) -> String { "ROLLBACK TRANSACTION \(name)" }
  /// SQL Server keeps savepoints until the transaction ends and has no statement to release one.
  public func releaseSavepoint(_ name: String) -> String? { nil }

  /// `#` makes a local temporary table, private to the session.
  public var stagePrefix: String { "#lmsds_stage_" }

  /// Text columns join the LMS tables on keys, so they take the database's collation rather than
  /// tempdb's (a different one would make every join fail). The key is staged at the width of the
  /// parent columns because an invalid row is staged with its key whatever its length.
  public func createStage(_ stage: StageTable) -> [String] {
    let text = "\(textType) COLLATE DATABASE_DEFAULT"
    let columns = stage.columns.map { column -> String in
      switch column {
      case .integer(let name): return "\(name) \(integerType)"
      case .key(let name, _), .text(let name): return "\(name) \(text)"
      case .data(let name, let type):
        if case .text = type { return "\(name) \(stagingType(type)) COLLATE DATABASE_DEFAULT" }
        return "\(name) \(stagingType(type))"
      }
    }
    return [
      "IF OBJECT_ID(N'tempdb..\(stage.name)') IS NULL CREATE TABLE \(stage.name) (\(columns.joined(separator: ", ")))"
    ]
  }

  /// A `#` table holds no dead rows to get rid of: a DELETE will do.
  public func truncate(_ table: String) -> String { "DELETE FROM \(table)" }

  public func analyze(_ table: String) -> String? { nil }

  /// T-SQL names the alias after UPDATE and joins in its FROM clause.
  public func update(
    _ table: String, as alias: String, set assignments: String, from source: UpdateSource?,
    where filter: String
  ) -> String {
    let head = "UPDATE \(alias) SET \(assignments) FROM"
    switch source {
    case nil:
      return "\(head) \(table) AS \(alias) WHERE \(filter)"
    case .table(let joined, let match):
      return "\(head) \(table) AS \(alias) JOIN \(joined) ON \(match) WHERE \(filter)"
    case .joined(let joined, let match):
      return "\(head) \(joined) JOIN \(table) AS \(alias) ON \(match) WHERE \(filter)"
    }
  }

  /// SQL Server before 2022 has no IS DISTINCT FROM: the NULL-safe difference, text compared
  /// exactly: a binary collation for case and accents, DATALENGTH for trailing spaces (`=` pads
  /// the shorter side; both sides are nvarchar, so equal lengths mean equal byte counts).
  public func differs(_ staged: String, _ stored: String, text: Bool) -> String {
    let nullness =
      "(\(staged) IS NULL AND \(stored) IS NOT NULL) OR (\(staged) IS NOT NULL AND \(stored) IS NULL)"
    guard text else { return "\(staged) <> \(stored) OR \(nullness)" }
    let binary = "COLLATE Latin1_General_100_BIN2"
    return """
      \(staged) \(binary) <> \(stored) \(binary) OR DATALENGTH(\(staged)) <> DATALENGTH(\(stored)) \
      OR \(nullness)
      """
  }

  public func absent(from stage: String, key: String) -> String {
    "NOT EXISTS (SELECT 1 FROM \(stage) AS s WHERE s.\(key) = t.\(key))"
  }

  /// SQL Server cannot aggregate over a subquery (error 130): the test moves into a derived table.
  public func scopeSizes(
    _ statement: inout SQLStatement, target: String, scope: (inout SQLStatement) -> String,
    absent: String
  ) {
    let live = scope(&statement)
    statement.sql = """
      SELECT COUNT(*), COALESCE(SUM(scoped.absent), 0) FROM (SELECT CASE WHEN \(absent) \
      THEN 1 ELSE 0 END AS absent FROM \(target) AS t WHERE \(live) AND t.DeletedAt IS NULL) AS scoped
      """
  }
}
