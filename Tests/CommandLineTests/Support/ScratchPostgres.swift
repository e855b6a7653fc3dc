import Foundation
import LMSDSTestSupport
import Store

/// A database of its own on the PostgreSQL server scripts/with-postgres.sh started, dropped
/// afterwards; its parts as the Ed-Fi options name them.
final class ScratchPostgres {
  let host: String
  let port: Int
  let user: String
  let password: String
  let connection: any SQLConnection
  private let database: TestPostgresDatabase

  /// Where a server is there, and always in CI (where its absence is a failure).
  static var shouldRun: Bool { TestPostgresDatabase.available || TestEnvironment.isCI }

  init() throws {
    database = try TestPostgresDatabase(prefix: "lmsds_cli")
    guard let user = database.options.user, let password = database.options.password else {
      throw TestFailure("LMSDS_TEST_POSTGRES_URL names no user and password")
    }
    (host, port, self.user, self.password) = (
      database.options.host, database.options.port, user, password
    )
    connection = try DatabaseConnector.open(.postgresql(database.options))
  }

  var name: String { database.name }

  /// A URL for DATABASE_URL (never for the command line, which `ps` shows).
  var url: String { database.url }
}
