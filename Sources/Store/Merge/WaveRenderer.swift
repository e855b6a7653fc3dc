/// The forms of the set-based merge (`WaveStatements`), which a dialect's renderer adopts once it
/// has them: PostgreSQL and SQLite. SQL Server has no T-SQL form of the wave's statements yet (its
/// UPDATE … FROM forms, its temporary tables), so its renderer does not adopt this and its files
/// merge one by one.
public protocol WaveRenderer: MergeRenderer {
  /// Indexes on the submission types' stage `table`, made with it (the rows' stage has its own,
  /// `stageKeyIndex`).
  func submissionTypeIndexes(_ table: String) -> [String]
  /// An index of the rows' `stage` by key that the wave builds once it is filled, when a step
  /// will probe it, and drops before the next wave fills it; nil where none is wanted.
  func stageKeyIndex(stage: String) -> (create: String, drop: String)?
  /// Empties several staging tables, without dead rows where that differs from a DELETE; one
  /// `truncate` each unless the dialect says otherwise.
  func truncate(all tables: [String]) -> [String]
  /// One row, one column: how many rows the planner's statistics count in `table`; nil where the
  /// dialect keeps no such count to read.
  func rowEstimate(of table: String) -> String?
  /// Whether the wave's classifying step also finds, in one full join of the stage with the
  /// target, the live rows of a SourceSystem's scope that no file holds.
  var findsAbsentInFullJoin: Bool { get }
  /// One statement that sets `assignment` on the rows `t` of `target` that `files AS f` join by
  /// `scope` and that `filter` keeps, and returns how many per file (`file_no`, count); nil where
  /// the dialect cannot name the files in what an UPDATE returns. There the absent rows are
  /// collected into the delta (`WaveStatements.collectAbsent`), counted there and soft-deleted by
  /// identity.
  func softDeleteAbsent(
    _ target: String, identity: String, set assignment: String, files: String, scope: String,
    where filter: String
  ) -> String?
  /// Raises the memory a join or sort may hold to `size` for the transaction, never lowering it;
  /// nil where the dialect has no such setting.
  func raiseWorkMemory(to size: String) -> String?
  /// Statements that make the planner look rows up by identity, and that undo it; nil where the
  /// dialect plans the wave's updates that way already or cannot be told to.
  var lookupsByIdentityOnly: (on: String, off: String)? { get }
  /// Statements that keep the planner to hash joins, and that undo it; nil where not needed.
  var hashJoinsOnly: (on: String, off: String)? { get }
  /// Whether a first load of empty scopes may go from the bulk writer straight into the target
  /// (`WaveApplier.fillEmptyScopes`).
  var fillsEmptyScopesDirectly: Bool { get }
  /// The expression that looks a staged row's parent up as the row is loaded, from the markers
  /// (`DerivedColumn`) of the parent's key and the row's SourceSystem; nil where the bulk path
  /// cannot compute a column, and an UPDATE of the stage resolves the parents after it.
  func parentLookupWhileStaging(
    table: String, identity: String, keyMarker: Int, sourceSystemMarker: Int
  ) -> String?
  /// The ORDER BY that reads the stage `alias` file by file in line order, the order the bulk
  /// writer filled it in.
  func stageOrder(of alias: String) -> String
}

extension WaveRenderer {
  public func truncate(all tables: [String]) -> [String] { tables.map(truncate) }

  // The planner's statistics and settings: only PostgreSQL's planner is steered (or read) this
  // way, so a dialect has none of them unless it says so.
  public func rowEstimate(of table: String) -> String? { nil }
  public func raiseWorkMemory(to size: String) -> String? { nil }
  public var lookupsByIdentityOnly: (on: String, off: String)? { nil }
  public var hashJoinsOnly: (on: String, off: String)? { nil }
  public func stageOrder(of alias: String) -> String { "\(alias).file_no, \(alias).line_no" }
  public func stageKeyIndex(stage: String) -> (create: String, drop: String)? { nil }
}
