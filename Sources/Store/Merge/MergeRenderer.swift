import UDM

/// What the merge SQL of one dialect says differently: names, types, savepoints, statistics, and
/// the few statement forms the dialects do not share. `MergeStatements` builds each step's
/// dialect-neutral parts and hands them to a renderer; one renderer per dialect, each in its file.
public protocol MergeRenderer: Sendable {
  var dialect: SQLDialect { get }

  // MARK: Names and types

  /// A table of the LMS-DS schema, as the dialect names it.
  func table(_ name: String) -> String
  /// A parameter holding a timestamp given as canonical text.
  func timestamp(_ placeholder: String) -> String
  /// The two places a row limit goes: before the select list or after the ORDER BY. Each is empty
  /// or ends/starts with a space as needed.
  func rowLimit(_ count: Int) -> (top: String, limit: String)
  /// The staging column type for a data column.
  func stagingType(_ type: ColumnType) -> String
  var integerType: String { get }
  var textType: String { get }

  // MARK: Savepoints

  /// Marks a point inside the transaction that one file's failure rolls back to.
  func savepoint(_ name: String) -> String
  func rollbackToSavepoint(_ name: String) -> String
  /// nil where the dialect has no statement to release a savepoint.
  func releaseSavepoint(_ name: String) -> String?

  // MARK: Staging tables

  /// The prefix of a session-private staging table's name.
  var stagePrefix: String { get }
  /// Creates a staging table unless the session has it, with its key index where the dialect
  /// wants one.
  func createStage(_ stage: StageTable) -> [String]
  /// Empties a staging table so that it keeps no dead rows (TRUNCATE), where that differs from a
  /// DELETE.
  func truncate(_ table: String) -> String
  /// Refreshes a table's planner statistics; nil where the dialect plans without them.
  func analyze(_ table: String) -> String?

  // MARK: Statement forms

  /// `UPDATE` of `table AS alias` for the rows `filter` chooses, joined to `source` when given.
  func update(
    _ table: String, as alias: String, set assignments: String, from source: UpdateSource?,
    where filter: String
  ) -> String
  /// Whether a staged value differs from a stored one, NULLs included (`text`: compared exactly).
  func differs(_ staged: String, _ stored: String, text: Bool) -> String
  /// A stored row `t` whose key no row of `stage` holds.
  func absent(from stage: String, key: String) -> String
  /// One row: the live rows of the scope, and how many of them are absent from the file. `scope`
  /// binds its parameters each time it is called.
  func scopeSizes(
    _ statement: inout SQLStatement, target: String, scope: (inout SQLStatement) -> String,
    absent: String)

  /// Statistics of some columns of a table only; nil where the dialect plans without them.
  func analyze(_ table: String, columns: [String]) -> String?
}

extension MergeRenderer {
  /// Whether the dialect has the set-based merge's forms (`WaveRenderer`); where it has not,
  /// every file of a wave takes the per-file merge.
  public var mergesWaves: Bool { self is any WaveRenderer }

  /// Only PostgreSQL's planner reads column statistics, so a dialect has none unless it says so.
  public func analyze(_ table: String, columns: [String]) -> String? { nil }
}

/// What an `UPDATE` reads besides the table it updates.
public enum UpdateSource: Sendable, Hashable {
  /// One table with its alias, tied to the updated one by `on`.
  case table(String, on: String)
  /// Several tables already joined among themselves, tied to the updated one by `on`.
  case joined(String, on: String)
}

/// A session-private staging table, dialect-neutral: its name, columns and key.
public struct StageTable: Sendable, Hashable {
  public enum Role: Sendable, Hashable {
    /// A file's rows, with their fates.
    case rows
    /// The submission types an assignments file lists.
    case submissionTypes
  }

  /// What a staging column holds; the renderer picks its type.
  public enum Column: Sendable, Hashable {
    /// A row's flag or a resolved identity.
    case integer(String)
    /// `SourceSystemIdentifier`, staged whatever its length.
    case key(String, ColumnType)
    /// A data column of the resource.
    case data(String, ColumnType)
    /// Free text: a parent's key as the file gives it, a submission type.
    case text(String)

    public var name: String {
      switch self {
      case .integer(let name), .key(let name, _), .data(let name, _), .text(let name): return name
      }
    }
  }

  public let name: String
  public let role: Role
  public let columns: [Column]
  public let key: String

  public init(name: String, role: Role, columns: [Column], key: String) {
    self.name = name
    self.role = role
    self.columns = columns
    self.key = key
  }
}

extension SQLDialect {
  /// The merge renderer of this dialect.
  public var mergeRenderer: any MergeRenderer {
    switch self {
    case .postgresql: return PostgreSQLMergeRenderer()
    case .sqlserver: return SQLServerMergeRenderer()
    case .sqlite: return SQLiteMergeRenderer()
    }
  }
}
