import UDM

/// The merge SQL as SQLite says it.
public struct SQLiteMergeRenderer: WaveRenderer {
  public init() {}

  public var dialect: SQLDialect { .sqlite }

  /// SQLite has one schema.
  public func table(_ name: String) -> String { name }

  /// Any CAST on SQLite would apply numeric affinity and turn '2021-…' into 2021.
  public func timestamp(_ placeholder: String) -> String { placeholder }

  public func rowLimit(_ count: Int) -> (top: String, limit: String) { ("", " LIMIT \(count)") }

  public func stagingType(_ type: ColumnType) -> String {
    if case .integer = type { return "INTEGER" }
    return "TEXT"
  }

  public var integerType: String { "INTEGER" }
  public var textType: String { "TEXT" }

  public func savepoint(_ name: String) -> String { "SAVEPOINT \(name)" }
  public func rollbackToSavepoint(_ name: String) -> String { "ROLLBACK TO SAVEPOINT \(name)" }
  public func releaseSavepoint(_ name: String) -> String? { "RELEASE SAVEPOINT \(name)" }

  public var stagePrefix: String { "lmsds_stage_" }

  /// The rows' stage has a key index (in the temporary schema, where the table is); the
  /// submission types' stage has none.
  public func createStage(_ stage: StageTable) -> [String] {
    var statements = [PostgreSQLAndSQLiteForms.createTemporaryTable(stage, self)]
    if stage.role == .rows {
      statements.append(
        "CREATE INDEX IF NOT EXISTS temp.\(stage.name)_key ON \(stage.name) (\(stage.key))")
    }
    return statements
  }

  /// SQLite has no TRUNCATE; its DELETE without WHERE empties the table as fast.
  public func truncate(_ table: String) -> String { "DELETE FROM \(table)" }

  public func analyze(_ table: String) -> String? { nil }

  public func update(
    _ table: String, as alias: String, set assignments: String, from source: UpdateSource?,
    where filter: String
  ) -> String {
    PostgreSQLAndSQLiteForms.update(table, as: alias, set: assignments, from: source, where: filter)
  }

  public func differs(_ staged: String, _ stored: String, text: Bool) -> String {
    "\(staged) IS DISTINCT FROM \(stored)"
  }

  /// SQLite builds a transient index for IN (subquery); a correlated NOT EXISTS could scan.
  public func absent(from stage: String, key: String) -> String {
    "t.\(key) NOT IN (SELECT \(key) FROM \(stage) WHERE \(key) IS NOT NULL)"
  }

  public func scopeSizes(
    _ statement: inout SQLStatement, target: String, scope: (inout SQLStatement) -> String,
    absent: String
  ) {
    PostgreSQLAndSQLiteForms.scopeSizes(&statement, target: target, scope: scope, absent: absent)
  }

  // MARK: Set-based merge

  /// SQLite joins by nested loops over indexes: without these every probe of the submission
  /// types' stage scans it.
  public func submissionTypeIndexes(_ types: String) -> [String] {
    let key = "(\(ResourceSpec.sourceSystemIdentifier), file_no)"
    return [
      "CREATE INDEX IF NOT EXISTS temp.\(types)_key ON \(types) \(key)",
      "CREATE INDEX IF NOT EXISTS temp.\(types)_aid ON \(types) (aid, SubmissionType)",
    ]
  }

  /// The probes of the stage by key (duplicates, absent rows) would scan it without an index.
  /// Kept up row by row, it cost the bulk insert of 100,000 rows 0.1 s; built once the stage is
  /// full it costs half that, and a first load, which probes nothing, does not build it.
  public func stageKeyIndex(stage: String) -> (create: String, drop: String)? {
    let index = "temp.\(stage)_key"
    return (
      "CREATE INDEX IF NOT EXISTS \(index) ON \(stage) (\(ResourceSpec.sourceSystemIdentifier), file_no)",
      "DROP INDEX IF EXISTS \(index)"
    )
  }

  /// SQLite finds the absent rows with the anti-join driven from the wave's files
  /// (`softDeleteAbsent`).
  public var findsAbsentInFullJoin: Bool { false }

  /// SQLite cannot name the FROM table in RETURNING: the absent rows are collected into the
  /// delta by one anti-join driven from the wave's files through the target's scope index (an
  /// EXISTS per stored row would visit every file of the wave for every row of the table: 30 s
  /// for one night), then counted and soft-deleted from there. Counting them with the anti-join
  /// and soft-deleting them with it again cost the second night twice the join.
  public func softDeleteAbsent(
    _ target: String, identity: String, set assignment: String, files: String, scope: String,
    where filter: String
  ) -> String? { nil }

  /// The fill was built and measured on PostgreSQL only; SQLite takes the staged merge.
  public var fillsEmptyScopesDirectly: Bool { false }

  /// The bulk writer's INSERT runs on a thread of its own while the loader parses the next rows,
  /// so a lookup there is off the critical path; an UPDATE afterwards rewrote every staged row
  /// (the whole record, in SQLite) on the loader's thread.
  public func parentLookupWhileStaging(
    table: String, identity: String, keyMarker: Int, sourceSystemMarker: Int
  ) -> String? {
    """
    (SELECT p.\(identity) FROM \(table) AS p \
    WHERE p.\(ResourceSpec.sourceSystemIdentifier) = ?\(keyMarker) \
    AND p.\(ResourceSpec.sourceSystem) = ?\(sourceSystemMarker))
    """
  }

  /// The bulk writer appends a wave's files in file number order and each file's rows in line
  /// order, so the rowid is that order already: a scan by rowid needs no sort, where sorting by
  /// (file_no, line_no) cost a 100,000-row insert a third of its time.
  public func stageOrder(of alias: String) -> String { "\(alias).rowid" }
}
