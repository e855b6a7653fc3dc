import Foundation
import Store

/// The server `scripts/with-postgres.sh` starts, as its environment describes it.
enum PostgresTestServer {
  static let url = ProcessInfo.processInfo.environment["LMSDS_TEST_POSTGRES_URL"]
  static let adminURL = ProcessInfo.processInfo.environment["LMSDS_TEST_POSTGRES_ADMIN_URL"]
  static let isAvailable = url.flatMap(options(fromURL:)) != nil

  static var options: PostgresConnectionOptions { url.flatMap(options(fromURL:))! }

  static func connect() throws -> PostgresConnection {
    try PostgresConnection(options)
  }

  /// Just enough URL parsing for the tests: `postgresql://user:password@host:port/db?key=value`.
  /// The product's own parser lives with the command-line settings.
  static func options(fromURL text: String) -> PostgresConnectionOptions? {
    guard let components = URLComponents(string: text),
      components.scheme == "postgresql" || components.scheme == "postgres"
    else { return nil }
    var options = PostgresConnectionOptions()
    if let host = components.host, !host.isEmpty { options.host = host }
    if let port = components.port { options.port = port }
    options.user = components.user?.removingPercentEncoding
    options.password = components.password?.removingPercentEncoding
    let path =
      components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    if !path.isEmpty { options.database = path.removingPercentEncoding }
    for item in components.queryItems ?? [] {
      options.parameters[item.name] = item.value ?? ""
    }
    return options
  }
}
