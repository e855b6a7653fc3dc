/// Where and how to reach a SQL Server through ODBC. Like `PostgresConnectionOptions`, the
/// password stays a separate field until the connection string is built at connect time.
public struct SQLServerOptions: Sendable, Hashable {
  public var host: String
  public var port: Int
  public var user: String?
  public var password: String?
  public var database: String?
  /// The ODBC driver name (`ODBC Driver 18 for SQL Server`); nil lets the connector choose.
  public var driver: String?
  /// nil keeps the driver's default (driver 18 encrypts, driver 17 does not).
  public var encrypt: Bool?
  public var trustServerCertificate: Bool?
  /// A domain login (`Trusted_Connection=yes`) instead of a user name and password.
  public var integratedSecurity: Bool
  /// Other ODBC keywords, passed through.
  public var extra: [String: String]

  public init(
    host: String = "localhost", port: Int = 1433, user: String? = nil, password: String? = nil,
    database: String? = nil, driver: String? = nil, encrypt: Bool? = nil,
    trustServerCertificate: Bool? = nil, integratedSecurity: Bool = false,
    extra: [String: String] = [:]
  ) {
    self.host = host
    self.port = port
    self.user = user
    self.password = password
    self.database = database
    self.driver = driver
    self.encrypt = encrypt
    self.trustServerCertificate = trustServerCertificate
    self.integratedSecurity = integratedSecurity
    self.extra = extra
  }

  /// The options as a URL with the password replaced by `***`, for logs and summaries.
  public var redactedDescription: String {
    var text = "mssql://"
    if let user { text += user + (password == nil ? "" : ":***") + "@" }
    text += host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    if let database { text += "/\(database)" }
    var items: [(String, String)] = []
    if let driver { items.append(("driver", driver)) }
    if let encrypt { items.append(("encrypt", encrypt ? "yes" : "no")) }
    if let trustServerCertificate {
      items.append(("trustServerCertificate", trustServerCertificate ? "yes" : "no"))
    }
    if integratedSecurity { items.append(("integratedSecurity", "yes")) }
    items += extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    if !items.isEmpty { text += "?" + items.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }
    return text
  }
}

extension SQLServerOptions: CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  public var description: String { redactedDescription }
  public var debugDescription: String { "SQLServerOptions(\(redactedDescription))" }
  public var customMirror: Mirror { Mirror(self, children: ["url": redactedDescription]) }
}
