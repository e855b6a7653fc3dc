import Foundation
import LMSDSTestSupport
import Store
import Testing

/// A fresh, migrated database of one dialect for one test, removed afterwards.
final class TestDatabase {
  /// A database and the way files are applied to it: every contract test runs on each database
  /// both through the set-based merge (the default) and file by file (its oracle).
  enum Kind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgresql
    /// The same PostgreSQL server through unixODBC and the `PostgreSQL Unicode` driver: the ODBC
    /// path of the loader (parameter arrays instead of COPY), short of a SQL Server.
    case odbcPostgresql
    case sqlitePerFile
    case postgresqlPerFile
    case odbcPostgresqlPerFile
    var testDescription: String { rawValue }

    /// The database behind it.
    var backend: Kind {
      switch self {
      case .sqlite, .sqlitePerFile: return .sqlite
      case .postgresql, .postgresqlPerFile: return .postgresql
      case .odbcPostgresql, .odbcPostgresqlPerFile: return .odbcPostgresql
      }
    }

    var setBased: Bool { self == backend }
  }

  let kind: Kind
  let connection: any SQLConnection
  let location: DatabaseLocation
  private let cleanup: () -> Void
  /// The PostgreSQL database behind the PostgreSQL kinds, dropped with this.
  private let postgres: TestPostgresDatabase?

  /// The kinds this run can test: PostgreSQL only where the test script started a server.
  static var available: [Kind] {
    TestPostgresDatabase.adminURL == nil ? [.sqlite, .sqlitePerFile] : Kind.allCases
  }

  init(_ kind: Kind, migrated: Bool = true) throws {
    self.kind = kind
    switch kind.backend {
    case .sqlite:
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "lmsds-test-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let path = directory.appendingPathComponent("lms.sqlite").path
      location = .sqlite(path: path)
      connection = try SQLiteConnection(path: path)
      cleanup = { try? FileManager.default.removeItem(at: directory) }
      postgres = nil
    default:
      let postgres = try TestPostgresDatabase(prefix: "lmsds_t")
      let (options, name) = (postgres.options, postgres.name)
      if kind.backend == .odbcPostgresql {
        var text = "Driver={PostgreSQL Unicode};Server=\(options.host);Port=\(options.port);"
        text += "Database=\(name);Uid=\(options.user ?? "");Pwd=\(options.password ?? "");"
        location = .odbc(connectionString: text)
      } else {
        location = .postgresql(options)
      }
      connection = try DatabaseConnector.open(location)
      cleanup = {}
      self.postgres = postgres
    }
    if migrated { try MigrationRunner(dialect: connection.dialect).migrate(connection) }
  }

  deinit { cleanup() }

  /// A table name as the dialect spells it.
  func table(_ name: String) -> String { kind.backend == .sqlite ? name : "lms.\(name)" }

  func count(_ table: String, where condition: String = "1 = 1") throws -> Int {
    Int(
      try connection.scalar("SELECT COUNT(*) FROM \(self.table(table)) WHERE \(condition)")?.int
        ?? -1)
  }

  /// A table's column names, in table order.
  func columns(_ table: String) throws -> [String] {
    switch kind.backend {
    case .sqlite:
      return try connection.query("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid")
        .compactMap { $0.text(0) }
    default:
      return try connection.query(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'lms' AND table_name = lower($1) ORDER BY ordinal_position",
        [.text(table)]
      ).compactMap { $0.text(0) }
    }
  }

  /// Every row as text with `DeletedAt` reduced to deleted or not, since its time differs per run.
  func state(_ table: String, orderBy: String = "SourceSystemIdentifier") throws -> [[String]] {
    let list = try columns(table).map {
      $0.lowercased() == "deletedat"
        ? "CASE WHEN DeletedAt IS NULL THEN 'live' ELSE 'deleted' END" : $0
    }
    return try connection.query(
      "SELECT \(list.joined(separator: ", ")) FROM \(self.table(table)) ORDER BY \(orderBy)"
    ).map { row in row.values.map { $0.text ?? "NULL" } }
  }

  /// Every row of a table as text, ordered by its natural key, for comparing whole states.
  func dump(_ table: String, orderBy: String = "SourceSystemIdentifier") throws -> [[String]] {
    try connection.query("SELECT * FROM \(self.table(table)) ORDER BY \(orderBy)").map { row in
      row.values.map { $0.text ?? "NULL" }
    }
  }
}

/// Fails in CI when the PostgreSQL half of the matrix would silently not run.
@Test func postgresIsAvailableInCI() {
  if ProcessInfo.processInfo.environment["CI"] != nil {
    #expect(TestPostgresDatabase.adminURL != nil, "CI must run the PostgreSQL tests")
  }
}
