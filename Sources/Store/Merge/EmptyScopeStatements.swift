import Messages
import UDM

/// The SQL of a first load into empty scopes: the rows go from COPY straight into the target
/// table, with no stage, no match and no soft-delete (there is nothing to match or delete).
///
/// Only for resources scoped by provider and without parents (users, sections): their scope is
/// "every row of S" (load-semantics §7), so it is empty exactly when the table holds no row of S,
/// and a valid row needs no lookup before it can be written.
public struct EmptyScopeStatements: Sendable {
  public let flavor: SQLFlavor
  public let layout: StagingLayout

  public init(flavor: SQLFlavor, layout: StagingLayout) {
    self.flavor = flavor
    self.layout = layout
  }

  /// Whether a wave of this layout may go straight into its table when its scopes are empty.
  public static func applies(to layout: StagingLayout) -> Bool {
    layout.resource.scopeKind == .provider && layout.parents.isEmpty
      && layout.spec.parents.isEmpty && !layout.carriesSubmissionTypes
  }

  var spec: ResourceSpec { layout.spec }
  static let ssi = ResourceSpec.sourceSystemIdentifier
  static let sourceSystem = ResourceSpec.sourceSystem

  public var target: String { flavor.table(spec.table) }

  /// The target's columns a bulk writer fills, in the layout's order (the key first): what the
  /// staged path's INSERT writes for a new row.
  public var targetColumns: [String] { layout.dataColumns.map(\.name) }

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
    keys.chunked(into: 500).map { chunk in
      var statement = SQLStatement()
      let system = statement.bind(.text(sourceSystem))
      let list = chunk.map { statement.bind(.text($0)) }.joined(separator: ", ")
      statement.sql = """
        SELECT 1 FROM \(target) WHERE \(Self.sourceSystem) = \(system) \
        AND \(Self.ssi) IN (\(list)) LIMIT 1
        """
      return statement
    }
  }
}
