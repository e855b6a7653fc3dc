import Messages
import UDM

/// The SQL that merges a *wave* — several staged files of one resource and layout, each in its own
/// scope — with one statement per step instead of one per file (where the renderer `mergesWaves`:
/// PostgreSQL and SQLite). What the dialects say differently comes from the renderer.
///
/// Rows carry `file_no`; `lmsds_wave_file` holds each file's SourceSystem and directory ids as
/// data, so no statement binds one file's context. Per-file figures come back grouped by
/// `file_no`. The steps and their order are the per-file merge's (`MergeStatements`), which stays
/// the fallback and the oracle the tests compare this against.
public struct WaveStatements: Sendable {
  public let flavor: SQLFlavor
  public let layout: StagingLayout
  let single: MergeStatements
  let renderer: any WaveRenderer

  public init(flavor: SQLFlavor, layout: StagingLayout) {
    guard let renderer = flavor.waveRenderer else {
      preconditionFailure("the set-based merge has no \(flavor.dialect) form yet")
    }
    self.flavor = flavor
    self.layout = layout
    self.single = MergeStatements(flavor: flavor, layout: layout)
    self.renderer = renderer
  }

  var spec: ResourceSpec { layout.spec }
  var target: String { single.target }
  var identity: String { spec.identityColumn }
  static let ssi = ResourceSpec.sourceSystemIdentifier
  static let sourceSystem = ResourceSpec.sourceSystem
  static let associationColumn = MergeStatements.associationColumn

  public var stageTable: String { "lmsds_wave_\(spec.table.lowercased())" }
  public static let fileTable = "lmsds_wave_file"
  public static let submissionTypeStageTable = "lmsds_wave_submission_types"
  let mergeable = "s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)"

  // MARK: - Tables

  /// The rows of the stage that the writes need: new, changed and restored ones, with their twin's
  /// identity (`tid`). Classifying once into this small table spares the counts, the UPDATE and the
  /// INSERT a join of the whole stage with the whole target each (a million-row night is nearly all
  /// unchanged rows).
  public var deltaTable: String { "\(stageTable)_delta" }

  /// The columns of the stage and the delta (absent columns stay NULL).
  var stageTableColumns: [(name: String, type: String)] {
    let integer = flavor.integerType
    var columns = [
      "file_no", "line_no", "row_ok", "dup_key", "other_section", "orphan", "tid", "was_deleted",
      "changed", "gone",
    ].map { (name: $0, type: integer) }
    columns += spec.columns.map { (name: $0.name, type: flavor.stagingType($0.type)) }
    for parent in spec.parents {
      columns.append((MergeStatements.parentTextColumn(parent), flavor.textType))
      columns.append((MergeStatements.parentIDColumn(parent), integer))
    }
    if spec.kind == .attendanceEvents {
      columns.append(("r_\(Self.associationColumn)", integer))
    }
    return columns
  }

  /// The session's wave tables for this resource, made once.
  public var createTables: [String] {
    let integer = flavor.integerType
    let columns = stageTableColumns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
    var statements = [
      "CREATE TEMPORARY TABLE IF NOT EXISTS \(stageTable) (\(columns))",
      "CREATE TEMPORARY TABLE IF NOT EXISTS \(deltaTable) (\(columns))",
      """
      CREATE TEMPORARY TABLE IF NOT EXISTS \(Self.fileTable) (file_no \(integer) PRIMARY KEY, \
      source_system \(flavor.textType), section_id \(flavor.textType), \
      assignment_id \(flavor.textType), scope_id \(integer))
      """,
    ]
    if spec.hasSubmissionTypes {
      statements.append(
        "CREATE TEMPORARY TABLE IF NOT EXISTS \(Self.submissionTypeStageTable) "
          + "(file_no \(integer), \(Self.ssi) \(flavor.textType), SubmissionType \(flavor.textType), aid \(integer))"
      )
      statements += renderer.submissionTypeIndexes(Self.submissionTypeStageTable)
    }
    return statements
  }

  /// Empties the wave tables (and drops the stage's key index, built again when needed).
  public var clearTables: [String] {
    var tables = [stageTable, deltaTable, Self.fileTable]
    if spec.hasSubmissionTypes { tables.append(Self.submissionTypeStageTable) }
    let dropIndex = renderer.stageKeyIndex(stage: stageTable).map { [$0.drop] } ?? []
    return dropIndex + renderer.truncate(all: tables)
  }

  /// Indexes the filled stage by key, where the dialect wants it for the probes by key.
  public var indexStageKeys: String? { renderer.stageKeyIndex(stage: stageTable)?.create }

  /// The columns a bulk writer fills: file, line, validity, the layout's data columns, parent texts.
  public var stageColumns: [String] { ["file_no"] + single.stageColumns }

  public static let submissionTypeStageColumns = ["file_no", ssi, "SubmissionType"]

  /// One row per file of the wave: its number, SourceSystem and directory ids.
  public static func insertFiles(_ files: [WaveFileRow], flavor: SQLFlavor) -> [SQLStatement] {
    files.chunked(into: flavor.rowsPerInsert(parametersPerRow: 4)).map { chunk in
      var statement = SQLStatement()
      let rows = chunk.map { file in
        let values = [
          statement.bind(.integer(Int64(file.fileNumber))),
          statement.bind(file.sourceSystem.map(SQLValue.text) ?? .null),
          statement.bind(file.sectionID.map(SQLValue.text) ?? .null),
          statement.bind(file.assignmentID.map(SQLValue.text) ?? .null),
        ]
        return "(\(values.joined(separator: ", ")))"
      }
      statement.sql = """
        INSERT INTO \(fileTable) (file_no, source_system, section_id, assignment_id) \
        VALUES \(rows.joined(separator: ", "))
        """
      return statement
    }
  }

  /// Statistics of the columns the merge joins and filters on: the others' cost the time of
  /// sampling them and guide no plan, until the stage is large. `classify` hashes the whole
  /// stage, and PostgreSQL sizes that hash from each column's width: unmeasured, a text column
  /// counts 32 bytes, so a million-user stage looked half again as large as it was, the hash was
  /// split in two batches spilled to disk, and classifying took 0.35 s more than the 0.1 s that
  /// measuring every column costs.
  public func analyzeStage(stagedRows: Int) -> String? {
    guard stagedRows < Self.measuresEveryColumnFrom else { return renderer.analyze(stageTable) }
    let columns =
      ["file_no", "row_ok", "orphan", Self.ssi]
      + layout.parents.map(MergeStatements.parentTextColumn)
    return renderer.analyze(stageTable, columns: columns)
  }

  /// Below this many staged rows no layout's hash comes near the memory `raiseWorkMemory` gives
  /// it, whatever the widths are taken to be.
  public static let measuresEveryColumnFrom = 250_000

  public var analyzeTarget: String? { single.analyzeTarget }

  /// The wave's files, few rows but joined to every stored row of their SourceSystems: without
  /// statistics PostgreSQL guessed 610 files, tripled that join's size and hashed the wide stage
  /// instead of the stored rows (a million-row classify spilled to disk).
  public var analyzeFiles: String? { renderer.analyze(Self.fileTable) }

  /// How many rows the target's statistics count, where the dialect keeps such a count.
  public var targetRowEstimate: SQLStatement? {
    renderer.rowEstimate(of: target).map { SQLStatement($0) }
  }

  /// Resolves each file's section or assignment (by id and SourceSystem) once, for the scope steps.
  public var resolveScopes: SQLStatement? {
    let column: String
    let parent: ResourceSpec
    switch spec.kind.scopeKind {
    case .section:
      column = "section_id"
      parent = ResourceSpec.spec(for: .sections)
    case .assignment:
      column = "assignment_id"
      parent = ResourceSpec.spec(for: .assignments)
    case .provider, .incremental:
      return nil
    }
    return SQLStatement(
      """
      UPDATE \(Self.fileTable) SET scope_id = (SELECT p.\(parent.identityColumn) \
      FROM \(flavor.table(parent.table)) AS p WHERE p.\(Self.ssi) = \(Self.fileTable).\(column) \
      AND p.\(Self.sourceSystem) = \(Self.fileTable).source_system)
      """)
  }

  // MARK: - Row fates

  /// Every row whose key appears more than once in its file is invalid (load-semantics §5).
  public var markDuplicateKeys: SQLStatement {
    SQLStatement(
      """
      UPDATE \(stageTable) SET row_ok = 0, dup_key = 1 WHERE EXISTS (SELECT 1 FROM \(stageTable) AS d \
      WHERE d.file_no = \(stageTable).file_no AND d.\(Self.ssi) = \(stageTable).\(Self.ssi) \
      AND d.line_no <> \(stageTable).line_no)
      """)
  }

  /// Files of the wave with a key that is staged twice in one file: only they need the step above.
  public var filesWithRepeatedKeys: SQLStatement {
    SQLStatement(
      """
      SELECT DISTINCT file_no FROM \(stageTable) WHERE \(Self.ssi) IS NOT NULL \
      GROUP BY file_no, \(Self.ssi) HAVING COUNT(*) > 1
      """)
  }

  /// A key staged by two files of one SourceSystem: their order would matter, so the wave cannot
  /// be merged at once (the caller applies it file by file).
  public var keysInSeveralFiles: SQLStatement {
    SQLStatement(
      """
      SELECT s.\(Self.ssi) FROM \(stageTable) AS s JOIN \(Self.fileTable) AS f ON f.file_no = s.file_no \
      WHERE s.\(Self.ssi) IS NOT NULL GROUP BY f.source_system, s.\(Self.ssi) \
      HAVING COUNT(DISTINCT s.file_no) > 1 LIMIT 1
      """)
  }

  /// Resolves each parent by (its SourceSystemIdentifier, the file's SourceSystem), deleted
  /// parents included. Each pass rewrites every staged row, so the parent the file's directory
  /// names (a submission's assignment, a section's rows' section) is not looked up: every valid row
  /// names that one (`RowStager` refuses another), and it is the file's `scope_id`, resolved by
  /// the same rule. It is copied in the pass that looks up the next parent (on a first night,
  /// 0.12 s of SQLite's 1.3 s of statements and 0.2 s of PostgreSQL's were its own pass).
  public var resolveParents: [SQLStatement] {
    guard stageDerivedColumns.isEmpty else { return [] }
    let directory = layout.directoryParent
    var lookedUp = layout.parents.filter { $0 != directory }
    guard let directory else { return lookedUp.map { lookUp($0, alsoSetting: nil) } }
    let copy =
      "\(MergeStatements.parentIDColumn(directory)) = CASE WHEN "
      + "s.\(MergeStatements.parentTextColumn(directory)) IS NOT NULL THEN f.scope_id END"
    let copyAlone = { (filter: String) in
      SQLStatement(
        """
        UPDATE \(self.stageTable) AS s SET \(copy) FROM \(Self.fileTable) AS f \
        WHERE f.file_no = s.file_no AND s.row_ok = 1\(filter)
        """)
    }
    guard !lookedUp.isEmpty else { return [copyAlone("")] }
    let first = lookedUp.removeFirst()
    // The lookup's join leaves out the rows whose other parent is not found: they are orphans,
    // but their message names which parent is missing, so they get the directory's one too.
    let unmatched =
      " AND s.\(MergeStatements.parentIDColumn(directory)) IS NULL"
      + " AND s.\(MergeStatements.parentTextColumn(directory)) IS NOT NULL"
    return [lookUp(first, alsoSetting: copy), copyAlone(unmatched)]
      + lookedUp.map { lookUp($0, alsoSetting: nil) }
  }

  /// Columns the stage's bulk writer has the database compute as each row is loaded: every
  /// parent's identity, where the renderer looks parents up then (`resolveParents` is empty). By
  /// the row's own SourceSystem, which for a valid row is its file's (a file holds one).
  public var stageDerivedColumns: [DerivedColumn] {
    let columns = stageColumns
    guard !layout.parents.isEmpty, let system = columns.firstIndex(of: Self.sourceSystem) else {
      return []
    }
    var derived: [DerivedColumn] = []
    for parent in layout.parents {
      let parentSpec = ResourceSpec.spec(for: parent.parent)
      guard let key = columns.firstIndex(of: MergeStatements.parentTextColumn(parent)),
        let lookup = renderer.parentLookupWhileStaging(
          table: flavor.table(parentSpec.table), identity: parentSpec.identityColumn,
          keyMarker: key + 1, sourceSystemMarker: system + 1)
      else { return [] }
      derived.append(
        DerivedColumn(name: MergeStatements.parentIDColumn(parent), expression: lookup))
    }
    return derived
  }

  private func lookUp(_ parent: ParentSpec, alsoSetting other: String?) -> SQLStatement {
    let parentSpec = ResourceSpec.spec(for: parent.parent)
    let assignments =
      "\(MergeStatements.parentIDColumn(parent)) = p.\(parentSpec.identityColumn)"
      + (other.map { ", \($0)" } ?? "")
    return SQLStatement(
      """
      UPDATE \(stageTable) AS s SET \(assignments) \
      FROM \(Self.fileTable) AS f, \(flavor.table(parentSpec.table)) AS p \
      WHERE f.file_no = s.file_no AND p.\(Self.ssi) = s.\(MergeStatements.parentTextColumn(parent)) \
      AND p.\(Self.sourceSystem) = f.source_system AND s.row_ok = 1
      """)
  }

  /// Grades: an association of another section than the file's directory makes the row invalid.
  public var markGradesOfOtherSections: SQLStatement? {
    guard layout.resource == .grades, let parent = layout.parents.first else { return nil }
    let associations = flavor.table(ResourceSpec.spec(for: .sectionAssociations).table)
    let resolved = MergeStatements.parentIDColumn(parent)
    return SQLStatement(
      """
      UPDATE \(stageTable) SET row_ok = 0, other_section = 1 WHERE row_ok = 1 \
      AND \(resolved) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \(associations) AS a \
      JOIN \(Self.fileTable) AS f ON f.scope_id = a.LMSSectionIdentifier \
      WHERE f.file_no = \(stageTable).file_no \
      AND a.LMSUserLMSSectionAssociationIdentifier = \(stageTable).\(resolved))
      """)
  }

  public var markOrphans: SQLStatement? {
    guard !layout.parents.isEmpty else { return nil }
    let missing = layout.parents.map {
      "(\(MergeStatements.parentTextColumn($0)) IS NOT NULL AND \(MergeStatements.parentIDColumn($0)) IS NULL)"
    }
    return SQLStatement(
      "UPDATE \(stageTable) SET orphan = 1 WHERE row_ok = 1 AND (\(missing.joined(separator: " OR ")))"
    )
  }

  public var linkAttendanceAssociations: SQLStatement? {
    guard layout.resource == .attendanceEvents else { return nil }
    let associations = flavor.table(ResourceSpec.spec(for: .sectionAssociations).table)
    return SQLStatement(
      """
      UPDATE \(stageTable) SET r_\(Self.associationColumn) = (SELECT \
      a.\(Self.associationColumn) FROM \(associations) AS a \
      WHERE a.LMSUserIdentifier = \(stageTable).r_LMSUserIdentifier \
      AND a.LMSSectionIdentifier = \(stageTable).r_LMSSectionIdentifier \
      ORDER BY CASE WHEN a.DeletedAt IS NULL THEN 0 ELSE 1 END, a.\(Self.associationColumn) LIMIT 1) \
      WHERE row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND r_LMSSectionIdentifier IS NOT NULL
      """)
  }

  /// A staged row's stored twin, by key and the file's SourceSystem. It is joined once, by
  /// `classify`, rather than written into the stage: rewriting every staged row to mark it cost
  /// more than the whole merge on a large second night (a million rows, nearly all unchanged).
  var twin: String {
    """
    JOIN \(Self.fileTable) AS f ON f.file_no = s.file_no LEFT JOIN \(target) AS t \
    ON t.\(Self.ssi) = s.\(Self.ssi) AND t.\(Self.sourceSystem) = f.source_system
    """
  }

  /// Whether a mergeable row differs from its stored twin in a column the file carries: the
  /// per-file merge's NULL-safe differences, as the renderer says them.
  var differs: String {
    let differences = single.differences
    return differences.isEmpty ? "1 = 0" : "(\(differences.joined(separator: " OR ")))"
  }

  /// Whether `classify` also finds the live rows of each file's scope that the file no longer
  /// holds (`gone` rows of the delta), so that the soft-delete needs no join of its own: where the
  /// renderer `findsAbsentInFullJoin`, for resources scoped by SourceSystem, where every twin is in
  /// its file's scope.
  public var classifyFindsAbsent: Bool {
    renderer.findsAbsentInFullJoin && layout.resource.scopeKind == .provider
  }

  /// Copies every mergeable row that is new, restored or changed into the delta, with its twin:
  /// the one join of the stage with the target. Where `classifyFindsAbsent`, a full join also
  /// copies each live stored row of a file's SourceSystem that no staged row of the file names
  /// (any row with its key protects it, valid or not), as `gone`, with its identity.
  public var classify: SQLStatement {
    let copied = stageTableColumns.map(\.name).filter {
      !["tid", "was_deleted", "changed", "gone"].contains($0)
    }
    let columns = "\(copied.joined(separator: ", ")), tid, was_deleted, changed, gone"
    guard classifyFindsAbsent else {
      return SQLStatement(
        """
        INSERT INTO \(deltaTable) (\(columns)) \
        SELECT \(copied.map { "s.\($0)" }.joined(separator: ", ")), t.\(identity), \
        CASE WHEN t.DeletedAt IS NOT NULL THEN 1 ELSE 0 END, \
        CASE WHEN t.\(identity) IS NOT NULL AND t.DeletedAt IS NULL THEN 1 ELSE 0 END, 0 \
        FROM \(stageTable) AS s \(twin) WHERE \(mergeable) \
        AND (t.\(identity) IS NULL OR t.DeletedAt IS NOT NULL OR \(differs))
        """)
    }
    // Each stored row is paired with the one file of the wave that holds its SourceSystem, and
    // matched on (key, file): a staged row has at most one twin.
    let values = copied.map { $0 == "file_no" ? "COALESCE(s.file_no, t.lmsds_file_no)" : "s.\($0)" }
    return SQLStatement(
      """
      INSERT INTO \(deltaTable) (\(columns)) \
      SELECT \(values.joined(separator: ", ")), t.\(identity), \
      CASE WHEN s.file_no IS NOT NULL AND t.DeletedAt IS NOT NULL THEN 1 ELSE 0 END, \
      CASE WHEN s.file_no IS NOT NULL AND t.\(identity) IS NOT NULL AND t.DeletedAt IS NULL THEN 1 ELSE 0 END, \
      CASE WHEN s.file_no IS NULL THEN 1 ELSE 0 END \
      FROM \(stageTable) AS s FULL JOIN (SELECT x.*, f.file_no AS lmsds_file_no \
      FROM \(target) AS x JOIN \(Self.fileTable) AS f ON x.\(Self.sourceSystem) = f.source_system) AS t \
      ON t.\(Self.ssi) = s.\(Self.ssi) AND t.lmsds_file_no = s.file_no \
      WHERE (s.file_no IS NOT NULL AND \(mergeable) \
      AND (t.\(identity) IS NULL OR t.DeletedAt IS NOT NULL OR \(differs))) \
      OR (s.file_no IS NULL AND t.DeletedAt IS NULL)
      """)
  }

  /// Per file, from the stage alone: rows read, invalid, orphans, mergeable, set aside by SQL.
  public var stageCounts: SQLStatement {
    SQLStatement(
      """
      SELECT s.file_no, COUNT(*), \
      SUM(CASE WHEN s.row_ok = 0 THEN 1 ELSE 0 END), \
      SUM(CASE WHEN s.row_ok = 1 AND s.orphan = 1 THEN 1 ELSE 0 END), \
      SUM(CASE WHEN \(mergeable) THEN 1 ELSE 0 END), \
      SUM(CASE WHEN s.dup_key = 1 OR s.other_section = 1 OR (s.row_ok = 1 AND s.orphan = 1) THEN 1 ELSE 0 END) \
      FROM \(stageTable) AS s GROUP BY s.file_no
      """)
  }

  /// Per file, from the delta: rows inserted, restored, updated (the rest of the mergeable rows
  /// are unchanged), and gone (found by `classify` where it finds them).
  public var deltaCounts: SQLStatement {
    SQLStatement(
      """
      SELECT file_no, SUM(CASE WHEN tid IS NULL THEN 1 ELSE 0 END), \
      SUM(was_deleted), SUM(changed), SUM(gone) FROM \(deltaTable) GROUP BY file_no
      """)
  }

  /// The first `limit` rows per file that the SQL steps set aside, by file and line.
  public func setAsideRows(limit: Int) -> SQLStatement {
    var columns = ["file_no", "line_no", Self.ssi, "dup_key", "other_section", "orphan"]
    for parent in layout.parents {
      columns += [MergeStatements.parentTextColumn(parent), MergeStatements.parentIDColumn(parent)]
    }
    let list = columns.joined(separator: ", ")
    return SQLStatement(
      """
      SELECT \(list) FROM (SELECT \(list), ROW_NUMBER() OVER (PARTITION BY file_no ORDER BY line_no) AS rn \
      FROM \(stageTable) WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1)) AS x \
      WHERE rn <= \(limit) ORDER BY file_no, line_no
      """)
  }

  // MARK: - Scope

  /// The stored rows file `f` speaks for (load-semantics §7); nil for incremental resources.
  var scopeCondition: String? {
    switch layout.resource.scopeKind {
    case .incremental:
      return nil
    case .provider:
      return "t.\(Self.sourceSystem) = f.source_system"
    case .section where layout.resource == .grades:
      let associations = flavor.table(ResourceSpec.spec(for: .sectionAssociations).table)
      return """
        t.\(Self.sourceSystem) = f.source_system AND t.\(Self.associationColumn) IN \
        (SELECT a.\(Self.associationColumn) FROM \(associations) AS a \
        WHERE a.LMSSectionIdentifier = f.scope_id)
        """
    case .section:
      return "t.\(Self.sourceSystem) = f.source_system AND t.LMSSectionIdentifier = f.scope_id"
    case .assignment:
      return "t.\(Self.sourceSystem) = f.source_system AND t.AssignmentIdentifier = f.scope_id"
    }
  }

  var absentFromFile: String {
    "NOT EXISTS (SELECT 1 FROM \(stageTable) AS s WHERE s.file_no = f.file_no AND s.\(Self.ssi) = t.\(Self.ssi))"
  }

  /// Per file: live rows in scope, and how many of them it would soft-delete (mass-delete guard).
  public var scopeSizes: SQLStatement? {
    guard let scope = scopeCondition else { return nil }
    return SQLStatement(
      """
      SELECT f.file_no, (SELECT COUNT(*) FROM \(target) AS t WHERE \(scope) AND t.DeletedAt IS NULL), \
      (SELECT COUNT(*) FROM \(target) AS t WHERE \(scope) AND t.DeletedAt IS NULL AND \(absentFromFile)) \
      FROM \(Self.fileTable) AS f
      """)
  }

  /// Per file: live rows in scope, for the mass-delete guard where `classify` has counted the
  /// absent ones.
  public var liveScopeSizes: SQLStatement? {
    guard let scope = scopeCondition else { return nil }
    return SQLStatement(
      """
      SELECT f.file_no, (SELECT COUNT(*) FROM \(target) AS t WHERE \(scope) AND t.DeletedAt IS NULL) \
      FROM \(Self.fileTable) AS f
      """)
  }

  /// Removes refused files from the wave before anything is written.
  public func dropFiles(_ numbers: [Int]) -> [SQLStatement] {
    let list = numbers.map(String.init).joined(separator: ", ")
    var statements = [
      SQLStatement("DELETE FROM \(stageTable) WHERE file_no IN (\(list))"),
      SQLStatement("DELETE FROM \(deltaTable) WHERE file_no IN (\(list))"),
      SQLStatement("DELETE FROM \(Self.fileTable) WHERE file_no IN (\(list))"),
    ]
    if spec.hasSubmissionTypes {
      statements.append(
        SQLStatement("DELETE FROM \(Self.submissionTypeStageTable) WHERE file_no IN (\(list))"))
    }
    return statements
  }

  // MARK: - Writes

  /// Updates changed rows in place and restores deleted ones, from the delta by identity.
  public var applyUpdates: SQLStatement {
    let assignments =
      single.writtenColumns.map { "\($0.target) = \($0.staged)" } + ["DeletedAt = NULL"]
    return SQLStatement(
      """
      UPDATE \(target) AS t SET \(assignments.joined(separator: ", ")) \
      FROM \(deltaTable) AS s WHERE t.\(identity) = s.tid AND (s.changed = 1 OR s.was_deleted = 1)
      """)
  }

  /// Soft-deletes the delta's `gone` rows, by identity (where `classifyFindsAbsent`).
  public func softDeleteGone(deletedAt: String) -> SQLStatement {
    var statement = SQLStatement()
    let now = flavor.timestamp(statement.bind(.text(deletedAt)))
    statement.sql = """
      UPDATE \(target) AS t SET DeletedAt = \(now) FROM \(deltaTable) AS s \
      WHERE t.\(identity) = s.tid AND s.gone = 1
      """
    return statement
  }

  /// Inserts the delta's rows that have no stored twin, file by file in line order.
  public var applyInserts: SQLStatement {
    insertIntoTarget(from: "\(deltaTable) AS s WHERE s.tid IS NULL", order: "s.file_no, s.line_no")
  }

  /// `INSERT INTO` the target `SELECT` the written columns of the rows `s` of `source` (a table
  /// with its alias, joins and condition), in `order`: file by file in line order.
  private func insertIntoTarget(from source: String, order: String) -> SQLStatement {
    let columns = [Self.ssi, Self.sourceSystem] + single.writtenColumns.map(\.target)
    let values = ["s.\(Self.ssi)", "s.\(Self.sourceSystem)"] + single.writtenColumns.map(\.staged)
    return SQLStatement(
      """
      INSERT INTO \(target) (\(columns.joined(separator: ", "))) \
      SELECT \(values.joined(separator: ", ")) FROM \(source) ORDER BY \(order)
      """)
  }

  /// Whether any file's scope holds a stored row, live or deleted. When none does (a first load
  /// of these scopes), every mergeable row is new: `insertFromStage` writes them without the
  /// classifying join. A twin stored in another scope (a key that moved) cannot be ruled out this
  /// way; the unique key then refuses the insert and the wave goes file by file.
  public var anyStoredInScope: SQLStatement? {
    guard let scope = scopeCondition else { return nil }
    return SQLStatement(
      "SELECT 1 FROM \(Self.fileTable) AS f JOIN \(target) AS t ON \(scope) LIMIT 1")
  }

  /// Inserts every mergeable row of the stage, file by file in line order: `applyInserts` for a
  /// wave whose scopes hold no stored row, where the delta would be a copy of the stage.
  public var insertFromStage: SQLStatement {
    insertIntoTarget(
      from: """
        \(stageTable) AS s JOIN \(Self.fileTable) AS f ON f.file_no = s.file_no \
        WHERE \(mergeable)
        """, order: renderer.stageOrder(of: "s"))
  }

  /// Whether any file's scope holds a live row. When none does (a first load), nothing can be
  /// absent: the rows written are the file's own, so the soft-delete and its anti-join are skipped.
  public var anyLiveInScope: SQLStatement? {
    guard let scope = scopeCondition else { return nil }
    return SQLStatement(
      """
      SELECT 1 FROM \(Self.fileTable) AS f JOIN \(target) AS t ON \(scope) \
      WHERE t.DeletedAt IS NULL LIMIT 1
      """)
  }

  /// Soft-deletes, for every file of the wave, the live rows of its scope it no longer holds, and
  /// returns how many per file (`file_no`, count); nil where the dialect has no such statement
  /// (then `collectAbsent`, `goneCounts` and `softDeleteGone`) or the resource no scope.
  public func softDeleteAbsent(deletedAt: String) -> SQLStatement? {
    guard let scope = scopeCondition else { return nil }
    var statement = SQLStatement()
    let now = flavor.timestamp(statement.bind(.text(deletedAt)))
    guard
      let sql = renderer.softDeleteAbsent(
        target, identity: identity, set: "DeletedAt = \(now)", files: Self.fileTable,
        scope: scope, where: "t.DeletedAt IS NULL AND \(absentFromFile)")
    else { return nil }
    statement.sql = sql
    return statement
  }

  /// Copies into the delta, as `gone` rows of their file, the live rows of each file's scope that
  /// the file no longer holds; the writes have run, so they are the rows to soft-delete.
  public var collectAbsent: SQLStatement? {
    guard let scope = scopeCondition else { return nil }
    return SQLStatement(
      """
      INSERT INTO \(deltaTable) (file_no, tid, gone) \
      SELECT f.file_no, t.\(identity), 1 FROM \(Self.fileTable) AS f JOIN \(target) AS t ON \(scope) \
      WHERE t.DeletedAt IS NULL AND \(absentFromFile)
      """)
  }

  /// Per file, how many of the delta's rows are `gone` (`file_no`, count).
  public var goneCounts: SQLStatement {
    SQLStatement(
      "SELECT file_no, COUNT(*) FROM \(deltaTable) WHERE gone = 1 GROUP BY file_no")
  }

  /// The memory the merge's hash joins may hold, for the transaction, where the dialect has such
  /// a setting (`WaveRenderer.raiseWorkMemory(to:)` says why).
  public static func raiseWorkMemory(_ flavor: SQLFlavor) -> SQLStatement? {
    flavor.waveRenderer?.raiseWorkMemory(to: mergeWorkMemory).map { SQLStatement($0) }
  }

  public static let mergeWorkMemory = "128MB"

  /// Around the writes by identity (the delta's updates and `gone` rows), where the dialect's
  /// planner would hash the whole target instead.
  public var lookupsByIdentityOnly: (on: String, off: String)? { renderer.lookupsByIdentityOnly }

  /// Around the scope steps, where the dialect's planner would loop over a freshly filled stage.
  public var hashJoinsOnly: (on: String, off: String)? { renderer.hashJoinsOnly }

  /// Assignments: each mergeable assignment's submission types become exactly the listed set.
  /// The listed pairs first get their assignment's identifier (after the inserts), so the three
  /// steps are plain joins on (assignment, type) that the planner hashes.
  public func submissionTypeStatements(now time: String) -> [SQLStatement] {
    guard layout.carriesSubmissionTypes else { return [] }
    let types = flavor.table("AssignmentSubmissionType")
    let listed = Self.submissionTypeStageTable
    let resolve = SQLStatement(
      """
      UPDATE \(listed) AS l SET aid = a.AssignmentIdentifier FROM \(stageTable) AS s, \
      \(Self.fileTable) AS f, \(target) AS a WHERE s.file_no = l.file_no \
      AND s.\(Self.ssi) = l.\(Self.ssi) AND \(mergeable) AND f.file_no = s.file_no \
      AND a.\(Self.ssi) = s.\(Self.ssi) AND a.\(Self.sourceSystem) = f.source_system
      """)
    let restore = SQLStatement(
      """
      UPDATE \(types) AS x SET DeletedAt = NULL FROM \(listed) AS l \
      WHERE x.AssignmentIdentifier = l.aid AND x.SubmissionType = l.SubmissionType \
      AND x.DeletedAt IS NOT NULL
      """)
    var insert = SQLStatement()
    let now = flavor.timestamp(insert.bind(.text(time)))
    insert.sql = """
      INSERT INTO \(types) (AssignmentIdentifier, SubmissionType, CreateDate) \
      SELECT l.aid, l.SubmissionType, \(now) FROM \(listed) AS l WHERE l.aid IS NOT NULL \
      AND NOT EXISTS (SELECT 1 FROM \(types) AS x \
      WHERE x.AssignmentIdentifier = l.aid AND x.SubmissionType = l.SubmissionType)
      """
    var delete = SQLStatement()
    let deletedAt = flavor.timestamp(delete.bind(.text(time)))
    delete.sql = """
      UPDATE \(types) AS x SET DeletedAt = \(deletedAt) WHERE x.DeletedAt IS NULL \
      AND x.AssignmentIdentifier IN (SELECT a.AssignmentIdentifier FROM \(stageTable) AS s \
      JOIN \(Self.fileTable) AS f ON f.file_no = s.file_no \
      JOIN \(target) AS a ON a.\(Self.ssi) = s.\(Self.ssi) AND a.\(Self.sourceSystem) = f.source_system \
      WHERE \(mergeable)) \
      AND NOT EXISTS (SELECT 1 FROM \(listed) AS l WHERE l.aid = x.AssignmentIdentifier \
      AND l.SubmissionType = x.SubmissionType)
      """
    // The delete goes first, while the types table's statistics still hold (an insert just before
    // it, unanalysed, made PostgreSQL loop over the listed pairs per stored type: 30 s a wave).
    // The insert is hashed too: into a table its statistics call empty (a database analysed
    // before its first night), PostgreSQL checked each listed pair by scanning the table the
    // statement was filling, 15,000 scans of a growing table, 0.6–1.7 s a wave of 500 files.
    guard let toggle = hashJoinsOnly, let analyze = renderer.analyze(listed) else {
      return [resolve, delete, restore, insert]
    }
    return [
      resolve, SQLStatement(analyze), SQLStatement(toggle.on), delete, restore, insert,
      SQLStatement(toggle.off),
    ]
  }
}

/// One file of a wave as `lmsds_wave_file` holds it.
public struct WaveFileRow: Sendable, Hashable {
  public let fileNumber: Int
  public let sourceSystem: String?
  public let sectionID: String?
  public let assignmentID: String?

  public init(fileNumber: Int, sourceSystem: String?, sectionID: String?, assignmentID: String?) {
    self.fileNumber = fileNumber
    self.sourceSystem = sourceSystem
    self.sectionID = sectionID
    self.assignmentID = assignmentID
  }
}
