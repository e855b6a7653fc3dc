import UDM

/// The few places where the merge SQL differs between dialects.
public struct SQLFlavor: Sendable, Hashable {
  public let dialect: SQLDialect

  public init(_ dialect: SQLDialect) { self.dialect = dialect }

  /// A table of the LMS-DS schema, as the dialect names it.
  public func table(_ name: String) -> String {
    switch dialect {
    case .postgresql: return "lms.\(name)"
    case .sqlserver: return "lms.[\(name)]"
    case .sqlite: return name
    }
  }

  /// A parameter holding a timestamp given as canonical text.
  public func timestamp(_ placeholder: String) -> String {
    switch dialect {
    case .postgresql: return "CAST(\(placeholder) AS timestamp)"
    case .sqlserver: return "CAST(\(placeholder) AS datetime2)"
    // Any CAST on SQLite would apply numeric affinity and turn '2021-…' into 2021.
    case .sqlite: return placeholder
    }
  }

  /// The two places a row limit goes: before the select list (`TOP n` on SQL Server) or after the
  /// ORDER BY (`LIMIT n` elsewhere). Each is empty or ends/starts with a space as needed.
  public func rowLimit(_ count: Int) -> (top: String, limit: String) {
    dialect == .sqlserver ? ("TOP \(count) ", "") : ("", " LIMIT \(count)")
  }

  /// The staging column type for a data column.
  public func stagingType(_ type: ColumnType) -> String {
    switch (dialect, type) {
    case (.postgresql, .text): return "text"
    case (.postgresql, .timestamp): return "timestamp"
    case (.postgresql, .date): return "date"
    case (.postgresql, .integer): return "integer"
    case (.sqlserver, .text(let length)): return "nvarchar(\(length))"
    case (.sqlserver, .timestamp): return "datetime2"
    case (.sqlserver, .date): return "date"
    case (.sqlserver, .integer): return "int"
    case (.sqlite, .integer): return "INTEGER"
    case (.sqlite, _): return "TEXT"
    }
  }

  /// Marks a point inside the transaction that one file's failure rolls back to.
  public func savepoint(_ name: String) -> String {
    dialect == .sqlserver ? "SAVE TRANSACTION \(name)" : "SAVEPOINT \(name)"
  }

  public func rollbackToSavepoint(_ name: String) -> String {
    dialect == .sqlserver ? "ROLLBACK TRANSACTION \(name)" : "ROLLBACK TO SAVEPOINT \(name)"
  }

  /// SQL Server keeps savepoints until the transaction ends and has no statement to release one.
  public func releaseSavepoint(_ name: String) -> String? {
    dialect == .sqlserver ? nil : "RELEASE SAVEPOINT \(name)"
  }

  public var integerType: String {
    switch dialect {
    case .postgresql: return "integer"
    case .sqlserver: return "int"
    case .sqlite: return "INTEGER"
    }
  }

  public var textType: String {
    switch dialect {
    case .postgresql: return "text"
    case .sqlserver: return "nvarchar(4000)"
    case .sqlite: return "TEXT"
    }
  }
}
