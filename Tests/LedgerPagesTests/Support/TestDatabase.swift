import Foundation
import Store

/// A fresh database of one dialect for one test, removed afterwards. (The WorkerTests target has
/// a fuller one; test targets cannot share files, and the pages need only this much.)
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

  static var postgresURL: String? { ProcessInfo.processInfo.environment["LMSDS_TEST_POSTGRES_URL"] }
  static var postgresAdminURL: String? {
    ProcessInfo.processInfo.environment["LMSDS_TEST_POSTGRES_ADMIN_URL"]
  }

  /// SQLite always; PostgreSQL where the test script started a server.
  static var available: [Kind] { postgresAdminURL == nil ? [.sqlite] : Kind.allCases }

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
    case .postgresql:
      guard let adminURL = Self.postgresAdminURL, let userURL = Self.postgresURL,
        case .postgresql(let admin) = try DatabaseLocation(url: adminURL),
        case .postgresql(var options) = try DatabaseLocation(url: userURL),
        var components = URLComponents(string: userURL)
      else {
        throw DatabaseError(.usage, "LMSDS_TEST_POSTGRES_URL / _ADMIN_URL are not set")
      }
      let name = "lmsds_p_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
      let adminConnection = try PostgresConnection(admin)
      try adminConnection.executeScript(
        "CREATE DATABASE \(name) OWNER \(options.user ?? "postgres")")
      options.database = name
      components.path = "/\(name)"
      url = components.string ?? userURL
      location = .postgresql(options)
      connection = try DatabaseConnector.open(location)
      cleanup = {
        _ = try? adminConnection.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
      }
    }
    if migrated { try MigrationRunner(dialect: connection.dialect).migrate(connection) }
  }

  deinit { cleanup() }
}
