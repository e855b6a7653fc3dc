import Messages
import UDM

/// The SQL of a first load into empty scopes: the rows go from COPY straight into the target
/// table, with no stage, no match and no soft-delete (there is nothing to match or delete).
///
/// Users and sections: their scope is "every row of S" (load-semantics §7), so it is empty exactly
/// when the table holds no row of S. Section- and assignment-scoped resources whose rows need only
/// their parents looked up: their scope is the rows of S under the directory's section or
/// assignment, and each row's parents are resolved by the loader before it is written.
public struct EmptyScopeStatements: Sendable {
  public let flavor: SQLFlavor
  public let layout: StagingLayout

  public init(flavor: SQLFlavor, layout: StagingLayout) {
    self.flavor = flavor
    self.layout = layout
  }

  /// Whether a wave of this layout may go straight into its table when its scopes are empty.
  /// Not assignments with submission types (their own table is merged beside them), grades (each
  /// row is checked against the section's associations) nor attendance events (each links an
  /// association): steps the fill does not have.
  public static func applies(to layout: StagingLayout) -> Bool {
    guard !layout.carriesSubmissionTypes else { return false }
    switch layout.resource.scopeKind {
    case .provider:
      return layout.parents.isEmpty && layout.spec.parents.isEmpty
    case .section, .assignment:
      return layout.resource != .grades && layout.resource != .attendanceEvents
        && layout.directoryParent != nil
    case .incremental:
      return false
    }
  }

  var spec: ResourceSpec { layout.spec }
  static let ssi = ResourceSpec.sourceSystemIdentifier
  static let sourceSystem = ResourceSpec.sourceSystem

  public var target: String { flavor.table(spec.table) }

  /// The target's columns a bulk writer fills, in the layout's order (the key first), then the
  /// parents' identities: what the staged path's INSERT writes for a new row.
  public var targetColumns: [String] {
    layout.dataColumns.map(\.name) + layout.parents.map(\.column)
  }

  /// A row of any of `systems`, deleted or not: a soft-deleted row must be restored by the
  /// ordinary merge, never inserted a second time. An empty result means every scope is empty.
  public func anyRowOf(sourceSystems systems: [String]) -> SQLStatement {
    var statement = SQLStatement()
    let list = systems.map { statement.bind(.text($0)) }.joined(separator: ", ")
    statement.sql = """
      SELECT 1 FROM \(target) WHERE \(Self.sourceSystem) IN (\(list)) LIMIT 1
      """
    return statement
  }

  /// Which of `keys` (of one SourceSystem) the target holds; chunked to keep the parameters few.
  /// The invalid rows' keys are checked this way after the fill: a valid row sharing its key with
  /// an invalid one is a duplicate key (load-semantics §5) that the unique index cannot see.
  public func keysPresent(_ keys: [String], sourceSystem: String) -> [SQLStatement] {
    select(
      "1", from: target, sourceSystem: sourceSystem, where: Self.ssi, in: keys.map(SQLValue.text),
      firstOnly: true)
  }

  /// A row of `system` under any of `scopes` (the directory parent's identities), deleted or not:
  /// an empty result means each of those scopes is empty.
  public func anyRowIn(scopes: [Int64], sourceSystem system: String) -> [SQLStatement] {
    guard let directory = layout.directoryParent else { return [] }
    return select(
      "1", from: target, sourceSystem: system, where: directory.column,
      in: scopes.map(SQLValue.integer), firstOnly: true)
  }

  /// The identities of `parent`'s rows keyed `keys` in `system` (deleted ones included, as every
  /// parent lookup): each row is its key and its identity.
  public func parentIdentities(of parent: ParentSpec, keys: [String], sourceSystem system: String)
    -> [SQLStatement]
  {
    let table = ResourceSpec.spec(for: parent.parent)
    return select(
      "\(Self.ssi), \(table.identityColumn)", from: flavor.table(table.table), sourceSystem: system,
      where: Self.ssi, in: keys.map(SQLValue.text), firstOnly: false)
  }

  /// `SELECT columns FROM table` for the rows of `system` whose `column` is one of `values`, in
  /// chunks of 500 values to keep the parameters few.
  private func select(
    _ columns: String, from table: String, sourceSystem system: String, where column: String,
    in values: [SQLValue], firstOnly: Bool
  ) -> [SQLStatement] {
    values.chunked(into: 500).map { chunk in
      var statement = SQLStatement()
      let source = statement.bind(.text(system))
      let list = chunk.map { statement.bind($0) }.joined(separator: ", ")
      statement.sql = """
        SELECT \(columns) FROM \(table) WHERE \(Self.sourceSystem) = \(source) \
        AND \(column) IN (\(list))\(firstOnly ? " LIMIT 1" : "")
        """
      return statement
    }
  }

  /// One page of every row of `parent` in `system`, in key order after `after`: the loader reads
  /// a parent's identities page by page, so what it holds at once stays small.
  public func parentIdentityPage(
    of parent: ParentSpec, sourceSystem system: String, after: String?, limit: Int
  ) -> SQLStatement {
    let table = ResourceSpec.spec(for: parent.parent)
    var statement = SQLStatement()
    let source = statement.bind(.text(system))
    let from = after.map { " AND \(Self.ssi) > \(statement.bind(.text($0)))" } ?? ""
    statement.sql = """
      SELECT \(Self.ssi), \(table.identityColumn) FROM \(flavor.table(table.table)) \
      WHERE \(Self.sourceSystem) = \(source)\(from) ORDER BY \(Self.ssi) LIMIT \(limit)
      """
    return statement
  }
}
