import Messages
import UDM

/// The SQL that merges one staged file into its table (load-semantics §6–7), for one dialect.
///
/// Staging is a session-lifetime temporary table per resource, cleared before each file, so no two
/// sessions ever share it. Flags on the staged rows carry each row's fate from one statement to the
/// next: `row_ok` (valid), `dup_key`, `other_section`, `orphan`, `tid` (the matching stored row),
/// `was_deleted` and `changed`.
public struct MergeStatements: Sendable {
  public let flavor: SQLFlavor
  public let layout: StagingLayout

  public init(flavor: SQLFlavor, layout: StagingLayout) {
    self.flavor = flavor
    self.layout = layout
  }

  var spec: ResourceSpec { layout.spec }
  var target: String { flavor.table(spec.table) }
  var identity: String { spec.identityColumn }
  static let ssi = ResourceSpec.sourceSystemIdentifier
  static let sourceSystem = ResourceSpec.sourceSystem

  /// The attendance event's association column, set by the loader rather than read from the file.
  static let associationColumn = "LMSUserLMSSectionAssociationIdentifier"
  var linksAssociation: Bool { layout.resource == .attendanceEvents }

  // MARK: - Staging tables

  /// SQL Server: `#` makes a local temporary table, private to the session.
  var stagePrefix: String { flavor.dialect == .sqlserver ? "#lmsds_stage_" : "lmsds_stage_" }
  public var stageTable: String { "\(stagePrefix)\(spec.table.lowercased())" }
  public var submissionTypeStageTable: String { "\(stagePrefix)submission_types" }

  public static func parentTextColumn(_ parent: ParentSpec) -> String { "p_\(parent.csvColumn)" }
  public static func parentIDColumn(_ parent: ParentSpec) -> String { "r_\(parent.column)" }

  /// Creates the staging tables for every column of the resource (absent ones stay NULL).
  public var createStage: [String] {
    if flavor.dialect == .sqlserver { return createSQLServerStage }
    var columns = [
      "line_no \(flavor.integerType)", "row_ok \(flavor.integerType)",
      "dup_key \(flavor.integerType)", "other_section \(flavor.integerType)",
      "orphan \(flavor.integerType)", "tid \(flavor.integerType)",
      "was_deleted \(flavor.integerType)", "changed \(flavor.integerType)",
    ]
    columns += spec.columns.map { "\($0.name) \(flavor.stagingType($0.type))" }
    for parent in spec.parents {
      columns.append("\(Self.parentTextColumn(parent)) \(flavor.textType)")
      columns.append("\(Self.parentIDColumn(parent)) \(flavor.integerType)")
    }
    if linksAssociation { columns.append("r_\(Self.associationColumn) \(flavor.integerType)") }
    var statements = [
      "CREATE TEMPORARY TABLE IF NOT EXISTS \(stageTable) (\(columns.joined(separator: ", ")))"
    ]
    // The key index keeps every join and anti-join with the stage cheap whatever the planner
    // guesses of a temporary table it has no statistics for.
    switch flavor.dialect {
    case .sqlite:
      statements.append(
        "CREATE INDEX IF NOT EXISTS temp.\(stageTable)_key ON \(stageTable) (\(Self.ssi))")
    case .postgresql:
      statements.append(
        "CREATE INDEX IF NOT EXISTS \(stageTable)_key ON \(stageTable) (\(Self.ssi))")
    case .sqlserver:
      break
    }
    if spec.hasSubmissionTypes {
      statements.append(
        "CREATE TEMPORARY TABLE IF NOT EXISTS \(submissionTypeStageTable) "
          + "(\(Self.ssi) \(flavor.textType), SubmissionType \(flavor.textType))")
    }
    if spec.hasSubmissionTypes, flavor.dialect == .postgresql {
      statements.append(
        "CREATE INDEX IF NOT EXISTS \(submissionTypeStageTable)_key ON \(submissionTypeStageTable) (\(Self.ssi))"
      )
    }
    return statements
  }

  /// Text columns join the LMS tables on keys, so they take the database's collation rather than
  /// tempdb's (a different one would make every join fail). The key is staged at the width of the
  /// parent columns because an invalid row is staged with its key whatever its length.
  var createSQLServerStage: [String] {
    let text = "\(flavor.textType) COLLATE DATABASE_DEFAULT"
    var columns = [
      "line_no int", "row_ok int", "dup_key int", "other_section int", "orphan int", "tid int",
      "was_deleted int", "changed int",
    ]
    columns += spec.columns.map { column in
      switch column.type {
      case .text where column.name == Self.ssi: return "\(column.name) \(text)"
      case .text:
        return "\(column.name) \(flavor.stagingType(column.type)) COLLATE DATABASE_DEFAULT"
      default: return "\(column.name) \(flavor.stagingType(column.type))"
      }
    }
    for parent in spec.parents {
      columns.append("\(Self.parentTextColumn(parent)) \(text)")
      columns.append("\(Self.parentIDColumn(parent)) int")
    }
    if linksAssociation { columns.append("r_\(Self.associationColumn) int") }
    func create(_ table: String, _ columns: [String]) -> String {
      "IF OBJECT_ID(N'tempdb..\(table)') IS NULL CREATE TABLE \(table) (\(columns.joined(separator: ", ")))"
    }
    var statements = [create(stageTable, columns)]
    if spec.hasSubmissionTypes {
      statements.append(
        create(
          submissionTypeStageTable,
          ["\(Self.ssi) \(text)", "SubmissionType \(text)"]))
    }
    return statements
  }

  public var clearStage: [String] {
    var statements = ["DELETE FROM \(stageTable)"]
    if spec.hasSubmissionTypes { statements.append("DELETE FROM \(submissionTypeStageTable)") }
    return statements
  }

  /// Temporary tables are never vacuumed: on PostgreSQL the rows deleted file after file stay as
  /// dead tuples that every later scan of the stage reads. TRUNCATE leaves none but costs a new
  /// file (milliseconds), so callers use it once the dead rows add up.
  public var truncateStage: [String] {
    guard flavor.dialect == .postgresql else { return clearStage }
    var statements = ["TRUNCATE \(stageTable)"]
    if spec.hasSubmissionTypes { statements.append("TRUNCATE \(submissionTypeStageTable)") }
    return statements
  }

  /// The columns a bulk writer fills, in order: line, validity, data columns, parent texts.
  public var stageColumns: [String] {
    ["line_no", "row_ok"] + layout.dataColumns.map(\.name)
      + layout.parents.map(Self.parentTextColumn)
  }

  public var submissionTypeStageColumns: [String] { [Self.ssi, "SubmissionType"] }

  /// PostgreSQL plans the merge joins from statistics; a freshly filled table has none.
  public var analyzeStage: String? {
    flavor.dialect == .postgresql ? "ANALYZE \(stageTable)" : nil
  }

  /// After a large insert the target's statistics still describe the table as it was (empty, on a
  /// first load): the soft-delete anti-join against the staged rows is then planned as a nested loop
  /// that rescans the stage for every stored row — quadratic, minutes for 10⁵–10⁶ rows.
  public var analyzeTarget: String? {
    flavor.dialect == .postgresql ? "ANALYZE \(target)" : nil
  }

  // MARK: - Row fates

  /// Every row whose key appears more than once in the file is invalid (load-semantics §5).
  public var markDuplicateKeys: SQLStatement {
    SQLStatement(
      """
      UPDATE \(stageTable) SET row_ok = 0, dup_key = 1 WHERE \(Self.ssi) IN \
      (SELECT \(Self.ssi) FROM \(stageTable) WHERE \(Self.ssi) IS NOT NULL \
      GROUP BY \(Self.ssi) HAVING COUNT(*) > 1)
      """)
  }

  /// Resolves each parent by (its SourceSystemIdentifier, S), soft-deleted parents included.
  public func resolveParents(_ context: MergeContext) -> [SQLStatement] {
    layout.parents.map { parent in
      var statement = SQLStatement()
      let source = statement.bind(.text(context.sourceSystem))
      let parentSpec = ResourceSpec.spec(for: parent.parent)
      let parentTable = flavor.table(parentSpec.table)
      if flavor.dialect == .sqlserver {
        statement.sql = """
          UPDATE s SET \(Self.parentIDColumn(parent)) = p.\(parentSpec.identityColumn) \
          FROM \(stageTable) AS s JOIN \(parentTable) AS p ON p.\(Self.ssi) = s.\(Self.parentTextColumn(parent)) \
          AND p.\(Self.sourceSystem) = \(source) WHERE s.row_ok = 1
          """
        return statement
      }
      statement.sql = """
        UPDATE \(stageTable) AS s SET \(Self.parentIDColumn(parent)) = p.\(parentSpec.identityColumn) \
        FROM \(parentTable) AS p WHERE p.\(Self.ssi) = s.\(Self.parentTextColumn(parent)) \
        AND p.\(Self.sourceSystem) = \(source) AND s.row_ok = 1
        """
      return statement
    }
  }

  /// Grades: an association of another section than the directory's makes the row invalid.
  public func markGradesOfOtherSections(_ context: MergeContext) -> SQLStatement? {
    guard layout.resource == .grades, let parent = layout.parents.first else { return nil }
    var statement = SQLStatement()
    let section = statement.bind(.text(context.sectionID ?? ""))
    let source = statement.bind(.text(context.sourceSystem))
    let associations = flavor.table(ResourceSpec.spec(for: .sectionAssociations).table)
    let sections = flavor.table(ResourceSpec.spec(for: .sections).table)
    let resolved = Self.parentIDColumn(parent)
    statement.sql = """
      UPDATE \(stageTable) SET row_ok = 0, other_section = 1 WHERE row_ok = 1 \
      AND \(resolved) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \(associations) AS a \
      JOIN \(sections) AS sec ON sec.LMSSectionIdentifier = a.LMSSectionIdentifier \
      WHERE a.LMSUserLMSSectionAssociationIdentifier = \(stageTable).\(resolved) \
      AND sec.\(Self.ssi) = \(section) AND sec.\(Self.sourceSystem) = \(source))
      """
    return statement
  }

  /// A valid row naming a parent that cannot be found is an orphan.
  public var markOrphans: SQLStatement? {
    guard !layout.parents.isEmpty else { return nil }
    let missing = layout.parents.map {
      "(\(Self.parentTextColumn($0)) IS NOT NULL AND \(Self.parentIDColumn($0)) IS NULL)"
    }
    return SQLStatement(
      "UPDATE \(stageTable) SET orphan = 1 WHERE row_ok = 1 AND (\(missing.joined(separator: " OR ")))"
    )
  }

  /// Attendance: the association of the event's user and section, a live one first, then the oldest.
  public var linkAttendanceAssociations: SQLStatement? {
    guard linksAssociation else { return nil }
    let associations = flavor.table(ResourceSpec.spec(for: .sectionAssociations).table)
    let limit = flavor.rowLimit(1)
    return SQLStatement(
      """
      UPDATE \(stageTable) SET r_\(Self.associationColumn) = (SELECT \(limit.top)\
      a.\(Self.associationColumn) FROM \(associations) AS a \
      WHERE a.LMSUserIdentifier = \(stageTable).r_LMSUserIdentifier \
      AND a.LMSSectionIdentifier = \(stageTable).r_LMSSectionIdentifier \
      ORDER BY CASE WHEN a.DeletedAt IS NULL THEN 0 ELSE 1 END, a.\(Self.associationColumn)\(limit.limit)) \
      WHERE row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND r_LMSSectionIdentifier IS NOT NULL
      """)
  }

  /// The target columns a file writes besides its key, paired with their staging expressions.
  var writtenColumns: [(target: String, staged: String)] {
    var pairs = layout.dataColumns.dropFirst(2).map { ($0.name, "s.\($0.name)") }
    pairs += layout.parents.map { ($0.column, "s.\(Self.parentIDColumn($0))") }
    if linksAssociation {
      pairs.append((Self.associationColumn, "s.r_\(Self.associationColumn)"))
    }
    return pairs
  }

  /// Finds each mergeable row's stored twin, and whether it is deleted or differs.
  public func matchExisting(_ context: MergeContext) -> SQLStatement {
    var statement = SQLStatement()
    let source = statement.bind(.text(context.sourceSystem))
    if flavor.dialect == .sqlserver {
      let changed =
        sqlServerDifferences.isEmpty
        ? "0" : "CASE WHEN \(sqlServerDifferences.joined(separator: " OR ")) THEN 1 ELSE 0 END"
      statement.sql = """
        UPDATE s SET tid = t.\(identity), \
        was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = \(changed) \
        FROM \(stageTable) AS s JOIN \(target) AS t ON t.\(Self.ssi) = s.\(Self.ssi) \
        AND t.\(Self.sourceSystem) = \(source) \
        WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
        """
      return statement
    }
    let differences = writtenColumns.map { "\($0.staged) IS DISTINCT FROM t.\($0.target)" }
    let changed =
      differences.isEmpty
      ? "0" : "CASE WHEN \(differences.joined(separator: " OR ")) THEN 1 ELSE 0 END"
    statement.sql = """
      UPDATE \(stageTable) AS s SET tid = t.\(identity), \
      was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = \(changed) \
      FROM \(target) AS t WHERE t.\(Self.ssi) = s.\(Self.ssi) AND t.\(Self.sourceSystem) = \(source) \
      AND s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """
    return statement
  }

  /// SQL Server before 2022 has no IS DISTINCT FROM: each written column's NULL-safe difference,
  /// text compared exactly: a binary collation for case and accents, DATALENGTH for trailing spaces
  /// (`=` pads the shorter side; both sides are nvarchar, so equal lengths mean equal byte counts).
  var sqlServerDifferences: [String] {
    var textColumns: Set<String> = []
    for column in layout.dataColumns {
      if case .text = column.type { textColumns.insert(column.name) }
    }
    return writtenColumns.map { pair in
      let (staged, stored) = (pair.staged, "t.\(pair.target)")
      let nullness =
        "(\(staged) IS NULL AND \(stored) IS NOT NULL) OR (\(staged) IS NOT NULL AND \(stored) IS NULL)"
      guard textColumns.contains(pair.target) else {
        return "\(staged) <> \(stored) OR \(nullness)"
      }
      let binary = "COLLATE Latin1_General_100_BIN2"
      return """
        \(staged) \(binary) <> \(stored) \(binary) OR DATALENGTH(\(staged)) <> DATALENGTH(\(stored)) \
        OR \(nullness)
        """
    }
  }

  /// One row: rows read, invalid, orphans, inserted, restored, updated, unchanged.
  public var counts: SQLStatement {
    let mergeable = "row_ok = 1 AND (orphan IS NULL OR orphan = 0)"
    return SQLStatement(
      """
      SELECT COUNT(*), \
      COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), \
      COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), \
      COALESCE(SUM(CASE WHEN \(mergeable) AND tid IS NULL THEN 1 ELSE 0 END), 0), \
      COALESCE(SUM(CASE WHEN \(mergeable) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), \
      COALESCE(SUM(CASE WHEN \(mergeable) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), \
      COALESCE(SUM(CASE WHEN \(mergeable) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) \
      FROM \(stageTable)
      """)
  }

  /// The first rows the SQL steps set aside (duplicate keys, other sections, orphans), by line.
  public func setAsideRows(limit: Int) -> SQLStatement {
    var columns = ["line_no", Self.ssi, "dup_key", "other_section", "orphan"]
    for parent in layout.parents {
      columns += [Self.parentTextColumn(parent), Self.parentIDColumn(parent)]
    }
    let (top, tail) = flavor.rowLimit(limit)
    return SQLStatement(
      """
      SELECT \(top)\(columns.joined(separator: ", ")) FROM \(stageTable) \
      WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no\(tail)
      """)
  }

  // MARK: - Scope

  /// The stored rows a file speaks for (load-semantics §7); nil for incremental resources.
  func scopeCondition(_ context: MergeContext, _ statement: inout SQLStatement) -> String? {
    let source = statement.bind(.text(context.sourceSystem))
    let sections = flavor.table(ResourceSpec.spec(for: .sections).table)
    switch layout.resource.scopeKind {
    case .incremental:
      return nil
    case .provider:
      return "t.\(Self.sourceSystem) = \(source)"
    case .section where layout.resource == .grades:
      let section = statement.bind(.text(context.sectionID ?? ""))
      let associations = flavor.table(ResourceSpec.spec(for: .sectionAssociations).table)
      return """
        t.\(Self.sourceSystem) = \(source) AND t.\(Self.associationColumn) IN \
        (SELECT a.\(Self.associationColumn) FROM \(associations) AS a \
        JOIN \(sections) AS sec ON sec.LMSSectionIdentifier = a.LMSSectionIdentifier \
        WHERE sec.\(Self.ssi) = \(section) AND sec.\(Self.sourceSystem) = \(source))
        """
    case .section:
      let section = statement.bind(.text(context.sectionID ?? ""))
      return """
        t.\(Self.sourceSystem) = \(source) AND t.LMSSectionIdentifier = \
        (SELECT sec.LMSSectionIdentifier FROM \(sections) AS sec \
        WHERE sec.\(Self.ssi) = \(section) AND sec.\(Self.sourceSystem) = \(source))
        """
    case .assignment:
      let assignment = statement.bind(.text(context.assignmentID ?? ""))
      let assignments = flavor.table(ResourceSpec.spec(for: .assignments).table)
      return """
        t.\(Self.sourceSystem) = \(source) AND t.AssignmentIdentifier = \
        (SELECT x.AssignmentIdentifier FROM \(assignments) AS x \
        WHERE x.\(Self.ssi) = \(assignment) AND x.\(Self.sourceSystem) = \(source))
        """
    }
  }

  /// Stored rows of the scope whose key the file does not hold (any staged row protects its key).
  var absentFromFile: String {
    switch flavor.dialect {
    case .sqlite:
      // SQLite builds a transient index for IN (subquery); a correlated NOT EXISTS could scan.
      return
        "t.\(Self.ssi) NOT IN (SELECT \(Self.ssi) FROM \(stageTable) WHERE \(Self.ssi) IS NOT NULL)"
    case .postgresql, .sqlserver:
      // NOT IN over a large set defeats PostgreSQL's hashed anti-join; NOT EXISTS does not.
      return "NOT EXISTS (SELECT 1 FROM \(stageTable) AS s WHERE s.\(Self.ssi) = t.\(Self.ssi))"
    }
  }

  /// Live rows in scope, and how many of them the file would soft-delete (for the mass-delete guard).
  public func scopeSizes(_ context: MergeContext) -> SQLStatement? {
    var statement = SQLStatement()
    guard let scope = scopeCondition(context, &statement) else { return nil }
    switch flavor.dialect {
    case .sqlserver:
      // SQL Server cannot aggregate over a subquery (error 130): the test moves into a derived table.
      statement.sql = """
        SELECT COUNT(*), COALESCE(SUM(scoped.absent), 0) FROM (SELECT CASE WHEN \(absentFromFile) \
        THEN 1 ELSE 0 END AS absent FROM \(target) AS t WHERE \(scope) AND t.DeletedAt IS NULL) AS scoped
        """
    case .postgresql, .sqlite:
      // The absence test stays in a WHERE clause: inside CASE, PostgreSQL cannot turn NOT EXISTS
      // into an anti-join and runs it as a subplan per stored row, rescanning the whole stage.
      let absentScope = scopeCondition(context, &statement)!
      statement.sql = """
        SELECT (SELECT COUNT(*) FROM \(target) AS t WHERE \(scope) AND t.DeletedAt IS NULL), \
        (SELECT COUNT(*) FROM \(target) AS t WHERE \(absentScope) AND t.DeletedAt IS NULL \
        AND \(absentFromFile))
        """
    }
    return statement
  }

  // MARK: - Writes

  /// Updates changed rows in place and restores deleted ones.
  public var applyUpdates: SQLStatement? {
    let assignments = writtenColumns.map { "\($0.target) = \($0.staged)" } + ["DeletedAt = NULL"]
    switch flavor.dialect {
    case .postgresql, .sqlite:
      return SQLStatement(
        """
        UPDATE \(target) AS t SET \(assignments.joined(separator: ", ")) FROM \(stageTable) AS s \
        WHERE t.\(identity) = s.tid AND (s.was_deleted = 1 OR s.changed = 1)
        """)
    case .sqlserver:
      return SQLStatement(
        """
        UPDATE t SET \(assignments.joined(separator: ", ")) FROM \(target) AS t \
        JOIN \(stageTable) AS s ON t.\(identity) = s.tid WHERE s.was_deleted = 1 OR s.changed = 1
        """)
    }
  }

  /// Inserts the mergeable rows that have no stored twin, in file order.
  public var applyInserts: SQLStatement {
    let columns = [Self.ssi, Self.sourceSystem] + writtenColumns.map(\.target)
    let values = ["s.\(Self.ssi)", "s.\(Self.sourceSystem)"] + writtenColumns.map(\.staged)
    return SQLStatement(
      """
      INSERT INTO \(target) (\(columns.joined(separator: ", "))) \
      SELECT \(values.joined(separator: ", ")) FROM \(stageTable) AS s \
      WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """)
  }

  /// Soft-deletes the live rows of the scope that the file no longer holds.
  public func softDeleteAbsent(_ context: MergeContext) -> SQLStatement? {
    var statement = SQLStatement()
    let now = flavor.timestamp(statement.bind(.text(context.startedAt)))
    guard let scope = scopeCondition(context, &statement) else { return nil }
    let head =
      flavor.dialect == .sqlserver
      ? "UPDATE t SET DeletedAt = \(now) FROM \(target) AS t"
      : "UPDATE \(target) AS t SET DeletedAt = \(now)"
    statement.sql = "\(head) WHERE \(scope) AND t.DeletedAt IS NULL AND \(absentFromFile)"
    return statement
  }

  /// Assignments: each mergeable assignment's submission types become exactly the listed set.
  public func submissionTypeStatements(_ context: MergeContext) -> [SQLStatement] {
    guard layout.carriesSubmissionTypes else { return [] }
    let types = flavor.table("AssignmentSubmissionType")
    let listed = submissionTypeStageTable
    let mergeable = "s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)"

    var restore = SQLStatement()
    var source = restore.bind(.text(context.sourceSystem))
    let restoreJoin = """
      \(listed) AS l JOIN \(stageTable) AS s ON s.\(Self.ssi) = l.\(Self.ssi) \
      JOIN \(target) AS a ON a.\(Self.ssi) = s.\(Self.ssi) AND a.\(Self.sourceSystem) = \(source)
      """
    let restoreWhere = """
      \(mergeable) AND x.AssignmentIdentifier = a.AssignmentIdentifier \
      AND x.SubmissionType = l.SubmissionType AND x.DeletedAt IS NOT NULL
      """
    switch flavor.dialect {
    case .postgresql, .sqlite:
      restore.sql =
        "UPDATE \(types) AS x SET DeletedAt = NULL FROM \(restoreJoin) WHERE \(restoreWhere)"
    case .sqlserver:
      restore.sql = """
        UPDATE x SET DeletedAt = NULL FROM \(restoreJoin) \
        JOIN \(types) AS x ON x.AssignmentIdentifier = a.AssignmentIdentifier \
        AND x.SubmissionType = l.SubmissionType WHERE \(mergeable) AND x.DeletedAt IS NOT NULL
        """
    }

    var insert = SQLStatement()
    source = insert.bind(.text(context.sourceSystem))
    let now = flavor.timestamp(insert.bind(.text(context.startedAt)))
    insert.sql = """
      INSERT INTO \(types) (AssignmentIdentifier, SubmissionType, CreateDate) \
      SELECT a.AssignmentIdentifier, l.SubmissionType, \(now) FROM \(listed) AS l \
      JOIN \(stageTable) AS s ON s.\(Self.ssi) = l.\(Self.ssi) \
      JOIN \(target) AS a ON a.\(Self.ssi) = s.\(Self.ssi) AND a.\(Self.sourceSystem) = \(source) \
      WHERE \(mergeable) AND NOT EXISTS (SELECT 1 FROM \(types) AS x \
      WHERE x.AssignmentIdentifier = a.AssignmentIdentifier AND x.SubmissionType = l.SubmissionType)
      """

    var delete = SQLStatement()
    let deletedAt = flavor.timestamp(delete.bind(.text(context.startedAt)))
    source = delete.bind(.text(context.sourceSystem))
    let head =
      flavor.dialect == .sqlserver
      ? "UPDATE x SET DeletedAt = \(deletedAt) FROM \(types) AS x"
      : "UPDATE \(types) AS x SET DeletedAt = \(deletedAt)"
    delete.sql = """
      \(head) WHERE x.DeletedAt IS NULL AND x.AssignmentIdentifier IN \
      (SELECT a.AssignmentIdentifier FROM \(stageTable) AS s JOIN \(target) AS a \
      ON a.\(Self.ssi) = s.\(Self.ssi) AND a.\(Self.sourceSystem) = \(source) WHERE \(mergeable)) \
      AND NOT EXISTS (SELECT 1 FROM \(listed) AS l JOIN \(target) AS a2 \
      ON a2.\(Self.ssi) = l.\(Self.ssi) AND a2.\(Self.sourceSystem) = \(source) \
      WHERE a2.AssignmentIdentifier = x.AssignmentIdentifier AND l.SubmissionType = x.SubmissionType)
      """
    return [restore, insert, delete]
  }
}
