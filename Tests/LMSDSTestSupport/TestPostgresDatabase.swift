import Foundation
import Store

/// A database of its own on the PostgreSQL server scripts/with-postgres.sh started (through
/// scripts/test.sh), dropped afterwards.
public final class TestPostgresDatabase {
  public static var userURL: String? {
    ProcessInfo.processInfo.environment["LMSDS_TEST_POSTGRES_URL"]
  }
  public static var adminURL: String? {
    ProcessInfo.processInfo.environment["LMSDS_TEST_POSTGRES_ADMIN_URL"]
  }
  public static var available: Bool { adminURL != nil && userURL != nil }

  public let name: String
  /// The test role's options, for this database.
  public let options: PostgresConnectionOptions
  /// The test role's URL, for this database: for DATABASE_URL, never for a command line (which
  /// `ps` shows).
  public let url: String
  private let admin: PostgresConnection

  /// `prefix` starts the database's name, so that one a crashed test left behind says whose it was.
  public init(prefix: String) throws {
    guard let adminURL = Self.adminURL, let userURL = Self.userURL,
      case .postgresql(let adminOptions) = try DatabaseLocation(url: adminURL),
      case .postgresql(var options) = try DatabaseLocation(url: userURL),
      var components = URLComponents(string: userURL)
    else {
      throw TestFailure(
        "LMSDS_TEST_POSTGRES_URL / _ADMIN_URL are not set: run through scripts/test.sh")
    }
    name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    admin = try PostgresConnection(adminOptions)
    // Owned by the ordinary test role: the loader must not need a superuser.
    try admin.executeScript("CREATE DATABASE \(name) OWNER \(options.user ?? "postgres")")
    options.database = name
    self.options = options
    components.path = "/" + name
    url = components.string ?? userURL
  }

  deinit { _ = try? admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
}
