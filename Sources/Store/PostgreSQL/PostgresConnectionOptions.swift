/// Where and how to reach a PostgreSQL server. Passed to libpq as keyword/value pairs, so the
/// password never travels through a connection string, a log line or an error.
public struct PostgresConnectionOptions: Sendable, Hashable {
  public var host: String
  public var port: Int
  public var user: String?
  public var password: String?
  public var database: String?
  /// Other libpq keywords (`sslmode`, `sslrootcert`, `connect_timeout`, `application_name`, …).
  public var parameters: [String: String]

  public init(
    host: String = "localhost", port: Int = 5432, user: String? = nil, password: String? = nil,
    database: String? = nil, parameters: [String: String] = [:]
  ) {
    self.host = host
    self.port = port
    self.user = user
    self.password = password
    self.database = database
    self.parameters = parameters
  }

  /// The options as a URL with the password replaced by `***`, for logs and summaries.
  public var redactedDescription: String {
    var text = "postgresql://"
    if let user { text += user + (password == nil ? "" : ":***") + "@" }
    text += "\(host):\(port)"
    if let database { text += "/\(database)" }
    if !parameters.isEmpty {
      text +=
        "?"
        + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
          separator: "&")
    }
    return text
  }
}
