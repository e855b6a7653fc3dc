import Foundation
import Testing

@testable import Store

/// A private database per test on the server scripts/with-postgres.sh provides, so tests run in
/// parallel and every one starts from nothing.
final class MigrationScratchDatabase: Sendable {
  let name: String
  let options: PostgresConnectionOptions
  private let adminOptions: PostgresConnectionOptions

  init() throws {
    let environment = ProcessInfo.processInfo.environment
    let url = try #require(environment["LMSDS_TEST_POSTGRES_URL"])
    let adminURL = try #require(environment["LMSDS_TEST_POSTGRES_ADMIN_URL"])
    adminOptions = try Self.options(from: adminURL)
    let user = try Self.options(from: url)
    name =
      "lmsds_migration_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    var options = user
    options.database = name
    self.options = options
    let admin = try PostgresConnection(adminOptions)
    // Owned by the ordinary test user so that migrations run without superuser rights.
    try admin.executeScript("CREATE DATABASE \(name) OWNER \(user.user ?? "postgres")")
  }

  func connect() throws -> PostgresConnection { try PostgresConnection(options) }

  func drop() {
    guard let admin = try? PostgresConnection(adminOptions) else { return }
    try? admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
  }

  static func options(from url: String) throws -> PostgresConnectionOptions {
    let components = try #require(URLComponents(string: url))
    var parameters: [String: String] = [:]
    for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
    let path =
      components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    return PostgresConnectionOptions(
      host: components.host ?? "localhost", port: components.port ?? 5432, user: components.user,
      password: components.password, database: path.isEmpty ? nil : path, parameters: parameters)
  }
}

/// Runs `body` against a new database that is dropped afterwards, however `body` ends.
func withScratchDatabase<T>(_ body: (MigrationScratchDatabase) throws -> T) throws -> T {
  let database = try MigrationScratchDatabase()
  defer { database.drop() }
  return try body(database)
}

func withScratchDatabaseAsync<T>(_ body: (MigrationScratchDatabase) async throws -> T) async throws
  -> T
{
  let database = try MigrationScratchDatabase()
  defer { database.drop() }
  return try await body(database)
}
