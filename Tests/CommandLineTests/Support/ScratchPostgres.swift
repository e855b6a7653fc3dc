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
  let name: String
  let connection: any SQLConnection
  private let admin: PostgresConnection

  static var adminURL: String? {
    ProcessInfo.processInfo.environment["LMSDS_TEST_POSTGRES_ADMIN_URL"]
  }
  static var userURL: String? { ProcessInfo.processInfo.environment["LMSDS_TEST_POSTGRES_URL"] }
  /// Where a server is there, and always in CI (where its absence is a failure).
  static var shouldRun: Bool { (adminURL != nil && userURL != nil) || TestEnvironment.isCI }

  init() throws {
    guard let adminURL = Self.adminURL, let userURL = Self.userURL,
      case .postgresql(let adminOptions) = try DatabaseLocation(url: adminURL),
      case .postgresql(var options) = try DatabaseLocation(url: userURL),
      let user = options.user, let password = options.password
    else {
      throw TestFailure(
        "LMSDS_TEST_POSTGRES_URL / _ADMIN_URL are not set: run through scripts/test.sh")
    }
    admin = try PostgresConnection(adminOptions)
    name = "lmsds_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    try admin.executeScript("CREATE DATABASE \(name) OWNER \(user)")
    (host, port, self.user, self.password) = (options.host, options.port, user, password)
    options.database = name
    connection = try DatabaseConnector.open(.postgresql(options))
  }

  /// A URL for DATABASE_URL (never for the command line, which `ps` shows).
  var url: String {
    var components = URLComponents()
    components.scheme = "postgresql"
    components.user = user
    components.password = password
    components.host = host
    components.port = port
    components.path = "/" + name
    return components.string ?? ""
  }

  deinit { _ = try? admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
}
