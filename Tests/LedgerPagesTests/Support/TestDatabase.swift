import Foundation
import LMSDSTestSupport
import Store

/// A fresh database of one dialect for one test, removed afterwards. (The WorkerTests target has
/// a fuller one; the pages need only this much.)
final class TestDatabase {
  enum Kind: String, CaseIterable, Sendable {
    case sqlite
    case postgresql
  }

  let kind: Kind
  let connection: any SQLConnection
  let location: DatabaseLocation
  /// The URL `lmsds serve` is given (through DATABASE_URL, since it may hold a password).
  let url: String
  private let cleanup: () -> Void
  /// The database behind `.postgresql`, dropped with this.
  private let postgres: TestPostgresDatabase?

  /// SQLite always; PostgreSQL where the test script started a server.
  static var available: [Kind] {
    TestPostgresDatabase.adminURL == nil ? [.sqlite] : Kind.allCases
  }

  init(_ kind: Kind, migrated: Bool = true) throws {
    self.kind = kind
    switch kind {
    case .sqlite:
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "lmsds-pages-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let path = directory.appendingPathComponent("lms.sqlite").path
      location = .sqlite(path: path)
      url = "sqlite:\(path)"
      connection = try SQLiteConnection(path: path)
      cleanup = { try? FileManager.default.removeItem(at: directory) }
      postgres = nil
    case .postgresql:
      let postgres = try TestPostgresDatabase(prefix: "lmsds_p")
      url = postgres.url
      location = .postgresql(postgres.options)
      connection = try DatabaseConnector.open(location)
      cleanup = {}
      self.postgres = postgres
    }
    if migrated { try MigrationRunner(dialect: connection.dialect).migrate(connection) }
  }

  deinit { cleanup() }
}
