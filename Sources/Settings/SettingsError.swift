/// A configuration that cannot be used. Messages name the option or variable, never a password.
public enum SettingsError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Where a bad value came from (`--database`, `DATABASE_URL`, `.env DATABASE_URL`) and why.
  case invalidDatabaseURL(source: SettingSource, reason: String)
  case noDatabase
  case invalidEngine(source: String)
  case missingEdFiOption(String)
  case invalidPort(source: String)
  case invalidBoolean(source: String)
  case invalidLogLevel(source: String, value: String)

  public var description: String {
    switch self {
    case .invalidDatabaseURL(let source, let reason): return "\(source): \(reason)"
    case .noDatabase:
      return "no database: give --database URL, set DATABASE_URL, or give the Ed-Fi options "
        + "(--engine, --server, --dbname, --username, --password or --useintegratedsecurity)"
    case .invalidEngine(let source): return "\(source) must be mssql or postgresql"
    case .missingEdFiOption(let what): return "the Ed-Fi connection options need \(what)"
    case .invalidPort(let source): return "\(source) must be a port number from 0 to 65535"
    case .invalidBoolean(let source):
      return "\(source) must be true or false (also yes/no, t/f, y/n, 1/0)"
    case .invalidLogLevel(let source, let value):
      return "\(source) \"\(value)\" is not a log level ("
        + LogLevel.allCases.map(\.rawValue).joined(separator: ", ") + ")"
    }
  }
}
