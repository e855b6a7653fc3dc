/// Which database to load into, parsed from `--database URL` (architecture, "The command line").
///
/// Printing one never shows a password: `description`, `debugDescription` and its mirror are the
/// redacted form, and parse errors never quote the URL.
public enum DatabaseLocation: Sendable, Hashable {
  case postgresql(PostgresConnectionOptions)
  /// A file path, or `:memory:`.
  case sqlite(path: String)
  case sqlserver(SQLServerOptions)
  /// A complete ODBC connection string, passed through untouched (SQL Server is the only ODBC
  /// dialect this tool speaks).
  case odbc(connectionString: String)

  public static let defaultPostgresPort = 5432
  public static let defaultSQLServerPort = 1433

  /// - `postgresql://user:pass@host:port/db?sslmode=require` (also `postgres://`);
  ///   the query's `host`, `port`, `user`, `password`, `dbname` fill the matching fields,
  ///   other items become libpq parameters;
  /// - `sqlite:PATH` or `sqlite::memory:`; the PATH is taken verbatim;
  /// - `mssql://user:pass@host:port/db?driver=…&encrypt=yes&trustServerCertificate=yes`
  ///   (also `sqlserver://`; `integratedSecurity=yes` or `Trusted_Connection=yes` for a domain login);
  /// - `odbc:<connection string>`.
  /// User, password, host, database and query items are percent-decoded (not the sqlite PATH).
  public init(url: String) throws {
    guard let colon = url.firstIndex(of: ":") else { throw DatabaseLocationError.unsupportedScheme }
    let scheme = url[..<colon].lowercased()
    let rest = url[url.index(after: colon)...]
    switch scheme {
    case "postgresql", "postgres":
      self = .postgresql(try Self.parsePostgres(rest))
    case "sqlite":
      // `sqlite:///x` means `/x` to some tools and `x` to SQLAlchemy; refusing it beats guessing.
      guard !rest.hasPrefix("//") else { throw DatabaseLocationError.sqliteSlashes }
      guard !rest.isEmpty else { throw DatabaseLocationError.missingSQLitePath }
      self = .sqlite(path: String(rest))
    case "mssql", "sqlserver":
      self = .sqlserver(try Self.parseSQLServer(rest))
    case "odbc":
      guard !rest.allSatisfy(\.isWhitespace) else {
        throw DatabaseLocationError.emptyODBCConnectionString
      }
      self = .odbc(connectionString: String(rest))
    default:
      throw DatabaseLocationError.unsupportedScheme
    }
  }

  public var dialect: SQLDialect {
    switch self {
    case .postgresql: return .postgresql
    case .sqlite: return .sqlite
    case .sqlserver, .odbc: return .sqlserver
    }
  }

  /// For logs and summaries: every password replaced by `***`.
  public var redactedDescription: String {
    switch self {
    case .postgresql(let options): return options.redactedDescription
    case .sqlite(let path): return "sqlite:\(path)"
    case .sqlserver(let options): return options.redactedDescription
    case .odbc(let connectionString):
      return "odbc:" + ODBCSecretRedaction.redacted(connectionString)
    }
  }

  // MARK: - Parsing

  private struct Parts {
    var user: String?
    var password: String?
    var host: String?
    var port: Int?
    var database: String?
    /// In the order written; the last of a repeated key wins.
    var query: [(key: String, value: String)] = []
  }

  /// `//[user[:password]@]host[:port][/database][?query]`, RFC 3986 style. A user or password
  /// must percent-encode `/`, `?` and `#`; an `@` inside the password is tolerated because the
  /// last `@` of the authority ends the user information.
  private static func parseAuthorityURL(_ text: Substring, scheme: String) throws -> Parts {
    guard text.hasPrefix("//") else {
      throw DatabaseLocationError.malformed(scheme: scheme, reason: "expected \(scheme)://…")
    }
    var rest = text.dropFirst(2)
    if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
    var query: Substring = ""
    if let question = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: question)...]
      rest = rest[..<question]
    }
    var authority = rest
    var path: Substring? = nil
    if let slash = rest.firstIndex(of: "/") {
      authority = rest[..<slash]
      path = rest[rest.index(after: slash)...]
    }
    var parts = Parts()
    var hostPort = authority
    if let at = authority.lastIndex(of: "@") {
      let userInfo = authority[..<at]
      hostPort = authority[authority.index(after: at)...]
      if let separator = userInfo.firstIndex(of: ":") {
        parts.user = try decode(userInfo[..<separator], "user name", scheme)
        parts.password = try decode(
          userInfo[userInfo.index(after: separator)...], "password", scheme)
      } else {
        parts.user = try decode(userInfo, "user name", scheme)
      }
      if parts.user == "" { parts.user = nil }
    }
    var hostText = hostPort
    var portText: Substring? = nil
    if hostPort.hasPrefix("[") {
      // An IPv6 literal: the port, if any, follows the closing bracket.
      guard let close = hostPort.firstIndex(of: "]") else {
        throw DatabaseLocationError.malformed(scheme: scheme, reason: "an IPv6 host lacks its `]`")
      }
      hostText = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
      let after = hostPort[hostPort.index(after: close)...]
      if after.hasPrefix(":") {
        portText = after.dropFirst()
      } else if !after.isEmpty {
        throw DatabaseLocationError.malformed(scheme: scheme, reason: "unexpected text after `]`")
      }
    } else if let separator = hostPort.lastIndex(of: ":") {
      hostText = hostPort[..<separator]
      portText = hostPort[hostPort.index(after: separator)...]
    }
    let host = try decode(hostText, "host", scheme)
    parts.host = host.isEmpty ? nil : host
    if let portText, !portText.isEmpty { parts.port = try port(portText, scheme) }
    if let path {
      let database = try decode(path, "database name", scheme)
      parts.database = database.isEmpty ? nil : database
    }
    for item in query.split(separator: "&") where !item.isEmpty {
      let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = try decode(pair[0], "query key", scheme)
      guard !key.isEmpty else {
        throw DatabaseLocationError.malformed(scheme: scheme, reason: "a query item has no name")
      }
      let value = pair.count > 1 ? try decode(pair[1], "value of query item \(key)", scheme) : ""
      parts.query.append((key, value))
    }
    return parts
  }

  private static func parsePostgres(_ text: Substring) throws -> PostgresConnectionOptions {
    let scheme = "postgresql"
    var parts = try parseAuthorityURL(text, scheme: scheme)
    var parameters: [String: String] = [:]
    // libpq accepts the URL's fields as query items too (`?host=/var/run/postgresql` for a socket).
    for (key, value) in parts.query {
      switch key {
      case "host": parts.host = value.isEmpty ? nil : value
      case "port": parts.port = try port(value[...], scheme)
      case "user": parts.user = value.isEmpty ? nil : value
      case "password": parts.password = value
      case "dbname": parts.database = value.isEmpty ? nil : value
      default: parameters[key] = value
      }
    }
    return PostgresConnectionOptions(
      host: parts.host ?? "localhost", port: parts.port ?? defaultPostgresPort, user: parts.user,
      password: parts.password, database: parts.database, parameters: parameters)
  }

  private static func parseSQLServer(_ text: Substring) throws -> SQLServerOptions {
    let scheme = "mssql"
    let parts = try parseAuthorityURL(text, scheme: scheme)
    var options = SQLServerOptions(
      host: parts.host ?? "localhost", port: parts.port ?? defaultSQLServerPort, user: parts.user,
      password: parts.password, database: parts.database)
    // ODBC keywords are case-insensitive, so these are too.
    for (key, value) in parts.query {
      switch key.lowercased() {
      case "driver": options.driver = value
      case "encrypt": options.encrypt = try flag(value, key: key, scheme: scheme)
      case "trustservercertificate", "trust_server_certificate", "trustcertificate":
        options.trustServerCertificate = try flag(value, key: key, scheme: scheme)
      case "integratedsecurity", "integrated_security", "trusted_connection":
        options.integratedSecurity = try flag(value, key: key, scheme: scheme)
      case "user", "uid": options.user = value.isEmpty ? nil : value
      case "password", "pwd": options.password = value
      case "database": options.database = value.isEmpty ? nil : value
      default: options.extra[key] = value
      }
    }
    if options.integratedSecurity, options.user != nil || options.password != nil {
      throw DatabaseLocationError.malformed(
        scheme: scheme, reason: "integrated security takes no user name or password")
    }
    return options
  }

  private static func decode(_ text: Substring, _ part: String, _ scheme: String) throws -> String {
    guard let decoded = URLPercentDecoding.decode(text) else {
      throw DatabaseLocationError.badPercentEncoding(scheme: scheme, part: part)
    }
    return decoded
  }

  private static func port(_ text: Substring, _ scheme: String) throws -> Int {
    guard text.utf8.count <= 5, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
      let value = Int(text), (1...65535).contains(value)
    else { throw DatabaseLocationError.invalidPort(scheme: scheme) }
    return value
  }

  private static func flag(_ value: String, key: String, scheme: String) throws -> Bool {
    switch value.lowercased() {
    case "yes", "true", "1", "on", "mandatory": return true
    case "no", "false", "0", "off", "optional": return false
    default: throw DatabaseLocationError.invalidFlag(scheme: scheme, key: key)
    }
  }
}

extension DatabaseLocation: CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  public var description: String { redactedDescription }
  public var debugDescription: String { "DatabaseLocation(\(redactedDescription))" }
  /// `dump` and the test runner's value printing walk the mirror; it must not reach a password.
  public var customMirror: Mirror { Mirror(self, children: ["url": redactedDescription]) }
}

/// Why `--database` could not be understood. Never quotes the URL: a mistyped URL may put a
/// password where a host or port should be.
public enum DatabaseLocationError: Error, Hashable, Sendable, CustomStringConvertible {
  case unsupportedScheme
  case malformed(scheme: String, reason: String)
  case invalidPort(scheme: String)
  case badPercentEncoding(scheme: String, part: String)
  case invalidFlag(scheme: String, key: String)
  case missingSQLitePath
  case sqliteSlashes
  case emptyODBCConnectionString

  public var description: String {
    switch self {
    case .unsupportedScheme:
      return "the database URL must start with postgresql://, postgres://, sqlite:, mssql:// "
        + "or odbc:"
    case .malformed(let scheme, let reason):
      return "the \(scheme) database URL is malformed: \(reason)"
    case .invalidPort(let scheme):
      return "the port of the \(scheme) database URL is not a number from 1 to 65535"
    case .badPercentEncoding(let scheme, let part):
      return "the \(part) in the \(scheme) database URL has a bad %-escape "
        + "(write % as %25, and the result must be UTF-8)"
    case .invalidFlag(let scheme, let key):
      return "the \(scheme) database URL's \(key) must be yes or no (also true/false, 1/0)"
    case .missingSQLitePath:
      return "the sqlite database URL needs a path: sqlite:PATH or sqlite::memory:"
    case .sqliteSlashes:
      return "write a SQLite database as sqlite:PATH (e.g. sqlite:/var/lib/lms.sqlite or "
        + "sqlite:lms.sqlite), not sqlite://…"
    case .emptyODBCConnectionString:
      return "the odbc: database URL needs a connection string after `odbc:`"
    }
  }
}
