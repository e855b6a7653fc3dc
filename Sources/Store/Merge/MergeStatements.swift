import Messages
import UDM

/// The SQL that merges one staged file into its table (load-semantics §6–7): each step's
/// dialect-neutral parts, put into the dialect's words by its `MergeRenderer`.
///
/// Staging is a session-lifetime temporary table per resource, cleared before each file, so no two
/// sessions ever share it. Flags on the staged rows carry each row's fate from one statement to the
/// next: `row_ok` (valid), `dup_key`, `other_section`, `orphan`, `tid` (the matching stored row),
/// `was_deleted` and `changed`.
public struct MergeStatements: Sendable {
  public let renderer: any MergeRenderer
  public let layout: StagingLayout

  public init(renderer: any MergeRenderer, layout: StagingLayout) {
    self.renderer = renderer
    self.layout = layout
  }

  public init(flavor: SQLFlavor, layout: StagingLayout) {
    self.init(renderer: flavor.renderer, layout: layout)
  }

  var spec: ResourceSpec { layout.spec }
  var target: String { renderer.table(spec.table) }
  var identity: String { spec.identityColumn }
  static let ssi = ResourceSpec.sourceSystemIdentifier
  static let sourceSystem = ResourceSpec.sourceSystem

  /// The attendance event's association column, set by the loader rather than read from the file.
  static let associationColumn = "LMSUserLMSSectionAssociationIdentifier"
  var linksAssociation: Bool { layout.resource == .attendanceEvents }

  // MARK: - Staging tables

  public var stageTable: String { "\(renderer.stagePrefix)\(spec.table.lowercased())" }
  public var submissionTypeStageTable: String { "\(renderer.stagePrefix)submission_types" }

  public static func parentTextColumn(_ parent: ParentSpec) -> String { "p_\(parent.csvColumn)" }
  public static func parentIDColumn(_ parent: ParentSpec) -> String { "r_\(parent.column)" }

  /// The staging tables, with every column of the resource (absent ones stay NULL).
  public var stageTables: [StageTable] {
    var columns: [StageTable.Column] = [
      "line_no", "row_ok", "dup_key", "other_section", "orphan", "tid", "was_deleted", "changed",
    ].map { .integer($0) }
    columns += spec.columns.map { column in
      column.name == Self.ssi ? .key(column.name, column.type) : .data(column.name, column.type)
    }
    for parent in spec.parents {
      columns.append(.text(Self.parentTextColumn(parent)))
      columns.append(.integer(Self.parentIDColumn(parent)))
    }
    if linksAssociation { columns.append(.integer("r_\(Self.associationColumn)")) }
    var tables = [StageTable(name: stageTable, role: .rows, columns: columns, key: Self.ssi)]
    if spec.hasSubmissionTypes {
      tables.append(
        StageTable(
          name: submissionTypeStageTable, role: .submissionTypes,
          columns: [.text(Self.ssi), .text("SubmissionType")], key: Self.ssi))
    }
    return tables
  }

  /// Creates the staging tables unless the session has them.
  public var createStage: [String] { stageTables.flatMap(renderer.createStage) }

  public var clearStage: [String] { stageTables.map { "DELETE FROM \($0.name)" } }

  /// Empties the staging tables leaving no dead rows, where the dialect keeps them: callers use it
  /// once the rows deleted file after file add up.
  public var truncateStage: [String] { stageTables.map { renderer.truncate($0.name) } }

  /// The columns a bulk writer fills, in order: line, validity, data columns, parent texts.
  public var stageColumns: [String] {
    ["line_no", "row_ok"] + layout.dataColumns.map(\.name)
      + layout.parents.map(Self.parentTextColumn)
  }

  public var submissionTypeStageColumns: [String] { [Self.ssi, "SubmissionType"] }

  /// A planner plans the merge joins from statistics; a freshly filled table has none.
  public var analyzeStage: String? { renderer.analyze(stageTable) }

  /// After a large insert the target's statistics still describe the table as it was (empty, on a
  /// first load): the soft-delete anti-join against the staged rows is then planned as a nested loop
  /// that rescans the stage for every stored row — quadratic, minutes for 10⁵–10⁶ rows.
  ///
  /// Only the columns the merges look stored rows up by are analysed: the planner needs no more,
  /// a full ANALYZE of a 100,000-row target took 0.16 s of a first night, and a column-limited one
  /// leaves the table's change count to autovacuum, whose full ANALYZE still follows the load.
  public var analyzeTarget: String? { renderer.analyze(target, columns: targetLookupColumns) }

  /// Key, SourceSystem, deletion mark, and the parents' identities (scopes and lookups by parent).
  var targetLookupColumns: [String] {
    var columns = [Self.ssi, Self.sourceSystem, "DeletedAt"] + layout.parents.map(\.column)
    if layout.resource == .attendanceEvents { columns.append(Self.associationColumn) }
    return columns
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

  /// Resolves one parent by (its SourceSystemIdentifier, S), soft-deleted parents included.
  public func resolveParent(_ parent: ParentSpec, _ context: MergeContext) -> SQLStatement {
    var statement = SQLStatement()
    let source = statement.bind(.text(context.sourceSystem))
    let parentSpec = ResourceSpec.spec(for: parent.parent)
    let parentTable = renderer.table(parentSpec.table)
    let match = """
      p.\(Self.ssi) = s.\(Self.parentTextColumn(parent)) \
      AND p.\(Self.sourceSystem) = \(source)
      """
    statement.sql = renderer.update(
      stageTable, as: "s", set: "\(Self.parentIDColumn(parent)) = p.\(parentSpec.identityColumn)",
      from: .table("\(parentTable) AS p", on: match), where: "s.row_ok = 1")
    return statement
  }

  /// Grades: an association of another section than the directory's makes the row invalid.
  public func markGradesOfOtherSections(_ context: MergeContext) -> SQLStatement? {
    guard layout.resource == .grades, let parent = layout.parents.first else { return nil }
    var statement = SQLStatement()
    let section = statement.bind(.text(context.sectionID ?? ""))
    let source = statement.bind(.text(context.sourceSystem))
    let associations = renderer.table(ResourceSpec.spec(for: .sectionAssociations).table)
    let sections = renderer.table(ResourceSpec.spec(for: .sections).table)
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
    let associations = renderer.table(ResourceSpec.spec(for: .sectionAssociations).table)
    let limit = renderer.rowLimit(1)
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
    let changed =
      differences.isEmpty
      ? "0" : "CASE WHEN \(differences.joined(separator: " OR ")) THEN 1 ELSE 0 END"
    statement.sql = renderer.update(
      stageTable, as: "s",
      set: """
        tid = t.\(identity), \
        was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = \(changed)
        """,
      from: .table(
        "\(target) AS t",
        on: "t.\(Self.ssi) = s.\(Self.ssi) AND t.\(Self.sourceSystem) = \(source)"),
      where: "s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)")
    return statement
  }

  /// Each written column's NULL-safe difference between the staged and the stored row.
  var differences: [String] {
    var textColumns: Set<String> = []
    for column in layout.dataColumns {
      if case .text = column.type { textColumns.insert(column.name) }
    }
    return writtenColumns.map { pair in
      renderer.differs(pair.staged, "t.\(pair.target)", text: textColumns.contains(pair.target))
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
    let (top, tail) = renderer.rowLimit(limit)
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
    let sections = renderer.table(ResourceSpec.spec(for: .sections).table)
    switch layout.resource.scopeKind {
    case .incremental:
      return nil
    case .provider:
      return "t.\(Self.sourceSystem) = \(source)"
    case .section where layout.resource == .grades:
      let section = statement.bind(.text(context.sectionID ?? ""))
      let associations = renderer.table(ResourceSpec.spec(for: .sectionAssociations).table)
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
      let assignments = renderer.table(ResourceSpec.spec(for: .assignments).table)
      return """
        t.\(Self.sourceSystem) = \(source) AND t.AssignmentIdentifier = \
        (SELECT x.AssignmentIdentifier FROM \(assignments) AS x \
        WHERE x.\(Self.ssi) = \(assignment) AND x.\(Self.sourceSystem) = \(source))
        """
    }
  }

  /// Stored rows of the scope whose key the file does not hold (any staged row protects its key).
  var absentFromFile: String { renderer.absent(from: stageTable, key: Self.ssi) }

  /// Live rows in scope, and how many of them the file would soft-delete (for the mass-delete guard).
  public func scopeSizes(_ context: MergeContext) -> SQLStatement? {
    guard layout.resource.scopeKind != .incremental else { return nil }
    var statement = SQLStatement()
    renderer.scopeSizes(
      &statement, target: target, scope: { scopeCondition(context, &$0)! }, absent: absentFromFile)
    return statement
  }

  // MARK: - Writes

  /// Updates changed rows in place and restores deleted ones.
  public var applyUpdates: SQLStatement? {
    let assignments = writtenColumns.map { "\($0.target) = \($0.staged)" } + ["DeletedAt = NULL"]
    return SQLStatement(
      renderer.update(
        target, as: "t", set: assignments.joined(separator: ", "),
        from: .table("\(stageTable) AS s", on: "t.\(identity) = s.tid"),
        where: "(s.was_deleted = 1 OR s.changed = 1)"))
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
    let now = renderer.timestamp(statement.bind(.text(context.startedAt)))
    guard let scope = scopeCondition(context, &statement) else { return nil }
    statement.sql = renderer.update(
      target, as: "t", set: "DeletedAt = \(now)", from: nil,
      where: "\(scope) AND t.DeletedAt IS NULL AND \(absentFromFile)")
    return statement
  }

  // MARK: - Submission types: each mergeable assignment's become exactly the listed set

  var submissionTypesTable: String { renderer.table("AssignmentSubmissionType") }
  static let mergeable = "s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)"

  /// Restores the listed submission types of mergeable assignments that were deleted.
  public func restoreSubmissionTypes(_ context: MergeContext) -> SQLStatement {
    let listed = submissionTypeStageTable
    var restore = SQLStatement()
    let source = restore.bind(.text(context.sourceSystem))
    let restoreJoin = """
      \(listed) AS l JOIN \(stageTable) AS s ON s.\(Self.ssi) = l.\(Self.ssi) \
      JOIN \(target) AS a ON a.\(Self.ssi) = s.\(Self.ssi) AND a.\(Self.sourceSystem) = \(source)
      """
    restore.sql = renderer.update(
      submissionTypesTable, as: "x", set: "DeletedAt = NULL",
      from: .joined(
        restoreJoin,
        on: """
          x.AssignmentIdentifier = a.AssignmentIdentifier \
          AND x.SubmissionType = l.SubmissionType
          """),
      where: "\(Self.mergeable) AND x.DeletedAt IS NOT NULL")
    return restore
  }

  /// Inserts the listed submission types of mergeable assignments that were never stored.
  public func insertSubmissionTypes(_ context: MergeContext) -> SQLStatement {
    let (types, listed) = (submissionTypesTable, submissionTypeStageTable)
    let mergeable = Self.mergeable
    var insert = SQLStatement()
    let source = insert.bind(.text(context.sourceSystem))
    let now = renderer.timestamp(insert.bind(.text(context.startedAt)))
    insert.sql = """
      INSERT INTO \(types) (AssignmentIdentifier, SubmissionType, CreateDate) \
      SELECT a.AssignmentIdentifier, l.SubmissionType, \(now) FROM \(listed) AS l \
      JOIN \(stageTable) AS s ON s.\(Self.ssi) = l.\(Self.ssi) \
      JOIN \(target) AS a ON a.\(Self.ssi) = s.\(Self.ssi) AND a.\(Self.sourceSystem) = \(source) \
      WHERE \(mergeable) AND NOT EXISTS (SELECT 1 FROM \(types) AS x \
      WHERE x.AssignmentIdentifier = a.AssignmentIdentifier AND x.SubmissionType = l.SubmissionType)
      """
    return insert
  }

  /// Soft-deletes the live submission types of mergeable assignments the file no longer lists.
  public func deleteUnlistedSubmissionTypes(_ context: MergeContext) -> SQLStatement {
    let (types, listed) = (submissionTypesTable, submissionTypeStageTable)
    let mergeable = Self.mergeable
    var delete = SQLStatement()
    let deletedAt = renderer.timestamp(delete.bind(.text(context.startedAt)))
    let source = delete.bind(.text(context.sourceSystem))
    delete.sql = renderer.update(
      types, as: "x", set: "DeletedAt = \(deletedAt)", from: nil,
      where: """
        x.DeletedAt IS NULL AND x.AssignmentIdentifier IN \
        (SELECT a.AssignmentIdentifier FROM \(stageTable) AS s JOIN \(target) AS a \
        ON a.\(Self.ssi) = s.\(Self.ssi) AND a.\(Self.sourceSystem) = \(source) WHERE \(mergeable)) \
        AND NOT EXISTS (SELECT 1 FROM \(listed) AS l JOIN \(target) AS a2 \
        ON a2.\(Self.ssi) = l.\(Self.ssi) AND a2.\(Self.sourceSystem) = \(source) \
        WHERE a2.AssignmentIdentifier = x.AssignmentIdentifier AND l.SubmissionType = x.SubmissionType)
        """)
    return delete
  }

  // MARK: - The plan's steps

  /// The statements of one step of `MergePlan`, in order; none for the steps that are the
  /// caller's decisions (`requireValidRows`, `claimSourceSystem`) or that the dialect skips.
  /// `refreshTargetStatistics` is the statement the caller runs when the inserts call for it.
  public func statements(
    for step: MergeStep, _ context: MergeContext, setAsideLimit: Int
  ) -> [SQLStatement] {
    func sql(_ text: String?) -> [SQLStatement] { text.map { [SQLStatement($0)] } ?? [] }
    switch step {
    case .analyzeStage: return sql(analyzeStage)
    case .markDuplicateKeys: return [markDuplicateKeys]
    case .resolveParent(let parent): return [resolveParent(parent, context)]
    case .markGradesOfOtherSections: return markGradesOfOtherSections(context).map { [$0] } ?? []
    case .markOrphans: return markOrphans.map { [$0] } ?? []
    case .linkAttendanceAssociations: return linkAttendanceAssociations.map { [$0] } ?? []
    case .matchExisting: return [matchExisting(context)]
    case .countRows: return [counts]
    case .describeSetAside: return [setAsideRows(limit: setAsideLimit)]
    case .requireValidRows, .claimSourceSystem: return []
    case .guardMassDelete: return scopeSizes(context).map { [$0] } ?? []
    case .applyUpdates: return applyUpdates.map { [$0] } ?? []
    case .applyInserts: return [applyInserts]
    case .refreshTargetStatistics: return sql(analyzeTarget)
    case .softDeleteAbsent: return softDeleteAbsent(context).map { [$0] } ?? []
    case .restoreSubmissionTypes: return [restoreSubmissionTypes(context)]
    case .insertSubmissionTypes: return [insertSubmissionTypes(context)]
    case .deleteUnlistedSubmissionTypes: return [deleteUnlistedSubmissionTypes(context)]
    }
  }
}
