/// The SQL spoken by a connection. Merge and migration text differ per dialect.
public enum SQLDialect: String, Sendable, Hashable, CaseIterable {
  case postgresql
  case sqlite
  case sqlserver

  /// The folder under `Migrations/` that holds this dialect's scripts.
  public var migrationFolder: String { rawValue }
}
