import Foundation
import Store

/// The PostgreSQL server of `scripts/with-postgres.sh`, reached through the `PostgreSQL Unicode`
/// ODBC driver: the only ODBC database this machine can run.
enum ODBCTestServer {
  static let driver =
    ProcessInfo.processInfo.environment["LMSDS_TEST_ODBC_DRIVER"] ?? "PostgreSQL Unicode"

  static var isAvailable: Bool { PostgresTestServer.isAvailable }

  static var password: String { PostgresTestServer.options.password ?? "" }

  static func connectionString(password: String? = nil) -> String {
    let options = PostgresTestServer.options
    var pairs = [
      ("Driver", driver), ("Server", options.host), ("Port", String(options.port)),
      ("Database", options.database ?? ""), ("Uid", options.user ?? ""),
      ("Pwd", password ?? options.password ?? ""),
    ]
    pairs.removeAll { $0.1.isEmpty }
    return pairs.map { "\($0.0)=\(braced($0.1))" }.joined(separator: ";") + ";"
  }

  static func connect(arraySize: Int? = nil) throws -> ODBCConnection {
    let connection = try ODBCConnection(connectionString: connectionString())
    if let arraySize { connection.bulkArraySize = arraySize }
    return connection
  }

  /// Braces let a value hold `;`, `=` or spaces; a `}` inside is doubled.
  private static func braced(_ value: String) -> String {
    let plain = value.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }
    return plain ? value : "{" + value.replacing("}", with: "}}") + "}"
  }
}
