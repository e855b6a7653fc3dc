import UDM

/// The merge SQL as PostgreSQL says it.
public struct PostgreSQLMergeRenderer: WaveRenderer {
  public init() {}

  public var dialect: SQLDialect { .postgresql }

  public func table(_ name: String) -> String { "lms.\(name)" }

  public func timestamp(_ placeholder: String) -> String { "CAST(\(placeholder) AS timestamp)" }

  public func rowLimit(_ count: Int) -> (top: String, limit: String) { ("", " LIMIT \(count)") }

  public func stagingType(_ type: ColumnType) -> String {
    switch type {
    case .text: return "text"
    case .timestamp: return "timestamp"
    case .date: return "date"
    case .integer: return "integer"
    }
  }

  public var integerType: String { "integer" }
  public var textType: String { "text" }

  public func savepoint(_ name: String) -> String { "SAVEPOINT \(name)" }
  public func rollbackToSavepoint(_ name: String) -> String { "ROLLBACK TO SAVEPOINT \(name)" }
  public func releaseSavepoint(_ name: String) -> String? { "RELEASE SAVEPOINT \(name)" }

  public var stagePrefix: String { "lmsds_stage_" }

  /// The key index keeps every join and anti-join with the stage cheap whatever the planner
  /// guesses of a temporary table it has no statistics for.
  public func createStage(_ stage: StageTable) -> [String] {
    [
      PostgreSQLAndSQLiteForms.createTemporaryTable(stage, self),
      "CREATE INDEX IF NOT EXISTS \(stage.name)_key ON \(stage.name) (\(stage.key))",
    ]
  }

  /// Temporary tables are never vacuumed: the rows deleted file after file stay as dead tuples
  /// that every later scan of the stage reads. TRUNCATE leaves none but costs a new file.
  public func truncate(_ table: String) -> String { "TRUNCATE \(table)" }

  /// PostgreSQL plans joins from statistics; a freshly filled table has none, and a table grown
  /// in this session keeps those of its smaller self.
  public func analyze(_ table: String) -> String? { "ANALYZE \(table)" }

  public func update(
    _ table: String, as alias: String, set assignments: String, from source: UpdateSource?,
    where filter: String
  ) -> String {
    PostgreSQLAndSQLiteForms.update(table, as: alias, set: assignments, from: source, where: filter)
  }

  public func differs(_ staged: String, _ stored: String, text: Bool) -> String {
    "\(staged) IS DISTINCT FROM \(stored)"
  }

  /// NOT IN over a large set defeats PostgreSQL's hashed anti-join; NOT EXISTS does not.
  public func absent(from stage: String, key: String) -> String {
    "NOT EXISTS (SELECT 1 FROM \(stage) AS s WHERE s.\(key) = t.\(key))"
  }

  /// The absence test stays in a WHERE clause: inside CASE, PostgreSQL cannot turn NOT EXISTS
  /// into an anti-join and runs it as a subplan per stored row, rescanning the whole stage.
  public func scopeSizes(
    _ statement: inout SQLStatement, target: String, scope: (inout SQLStatement) -> String,
    absent: String
  ) {
    PostgreSQLAndSQLiteForms.scopeSizes(&statement, target: target, scope: scope, absent: absent)
  }

  // MARK: Set-based merge

  /// None: the stages get statistics instead (`analyze(_:columns:)`) and their joins are hashed.
  public func submissionTypeIndexes(_ table: String) -> [String] { [] }

  /// One TRUNCATE for all: it leaves no dead rows for the next wave to scan, and a wave is large
  /// enough that its cost (a new file) does not show.
  public func truncate(all tables: [String]) -> [String] {
    ["TRUNCATE \(tables.joined(separator: ", "))"]
  }

  /// PostgreSQL plans joins from statistics, and gathering them costs the time of sampling each
  /// column named.
  public func analyze(_ table: String, columns: [String]) -> String? {
    "ANALYZE \(table) (\(columns.joined(separator: ", ")))"
  }

  /// The rows `pg_class` counts: -1 or 0 when the table was never analysed.
  public func rowEstimate(of table: String) -> String? {
    "SELECT CAST(reltuples AS bigint) FROM pg_class WHERE oid = to_regclass('\(table)')"
  }

  /// PostgreSQL hashes the full join: the absent rows come out of the one join of the stage with
  /// the target, so the soft-delete is a lookup by identity and the mass-delete guard runs before
  /// any write.
  public var findsAbsentInFullJoin: Bool { true }

  /// RETURNING names the FROM table, so the soft-delete counts what it deletes per file.
  public func softDeleteAbsent(
    _ target: String, identity: String, set assignment: String, files: String, scope: String,
    where filter: String
  ) -> String? {
    """
    WITH gone AS (UPDATE \(target) AS t SET \(assignment) FROM \(files) AS f \
    WHERE \(scope) AND \(filter) RETURNING f.file_no) \
    SELECT file_no, COUNT(*) FROM gone GROUP BY file_no
    """
  }

  /// The merge's hash joins hold a stage or a table in memory: under PostgreSQL's default 4 MB
  /// they spill to disk in batches, and classifying a million-row file took twice as long. Raised
  /// for the transaction only, and never lowered (a server or role may give more).
  public func raiseWorkMemory(to size: String) -> String? {
    """
    SELECT set_config('work_mem', '\(size)', true) \
    WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('\(size)')
    """
  }

  /// PostgreSQL joins the delta to the target by hashing the whole target, even for a few
  /// thousand rows (a million-row table scanned to update 2 % of it); looked up by identity
  /// instead, the update costs a small part of that, and little more when every row changed.
  public var lookupsByIdentityOnly: (on: String, off: String)? {
    (
      "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off",
      "SET LOCAL enable_hashjoin = on; SET LOCAL enable_mergejoin = on"
    )
  }

  /// PostgreSQL plans the scope steps over a freshly filled stage: a nested loop there rescans the
  /// stage per stored row (minutes for 10⁵ rows), so they run with hash joins only.
  public var hashJoinsOnly: (on: String, off: String)? {
    ("SET LOCAL enable_nestloop = off", "SET LOCAL enable_nestloop = on")
  }

  /// Built and measured here (libpq and ODBC): a first load of a million users went from about
  /// 2.4 to 1.1 times the bare COPY (README).
  public var fillsEmptyScopesDirectly: Bool { true }

  /// COPY loads values as they are: the parents are resolved by one UPDATE of the stage, which
  /// PostgreSQL hashes.
  public func parentLookupWhileStaging(
    table: String, identity: String, keyMarker: Int, sourceSystemMarker: Int
  ) -> String? { nil }
}

/// The forms PostgreSQL and SQLite share: `UPDATE … FROM`, `CREATE TEMPORARY TABLE`, and the
/// scope sizes as two counts.
enum PostgreSQLAndSQLiteForms {
  static func createTemporaryTable(_ stage: StageTable, _ renderer: some MergeRenderer) -> String {
    let columns = stage.columns.map { column -> String in
      switch column {
      case .integer(let name): return "\(name) \(renderer.integerType)"
      case .key(let name, let type), .data(let name, let type):
        return "\(name) \(renderer.stagingType(type))"
      case .text(let name): return "\(name) \(renderer.textType)"
      }
    }
    return "CREATE TEMPORARY TABLE IF NOT EXISTS \(stage.name) (\(columns.joined(separator: ", ")))"
  }

  static func update(
    _ table: String, as alias: String, set assignments: String, from source: UpdateSource?,
    where filter: String
  ) -> String {
    let head = "UPDATE \(table) AS \(alias) SET \(assignments)"
    switch source {
    case nil:
      return "\(head) WHERE \(filter)"
    case .table(let joined, let match), .joined(let joined, let match):
      return "\(head) FROM \(joined) WHERE \(match) AND \(filter)"
    }
  }

  static func scopeSizes(
    _ statement: inout SQLStatement, target: String, scope: (inout SQLStatement) -> String,
    absent: String
  ) {
    let live = scope(&statement)
    let absentScope = scope(&statement)
    statement.sql = """
      SELECT (SELECT COUNT(*) FROM \(target) AS t WHERE \(live) AND t.DeletedAt IS NULL), \
      (SELECT COUNT(*) FROM \(target) AS t WHERE \(absentScope) AND t.DeletedAt IS NULL \
      AND \(absent))
      """
  }
}
