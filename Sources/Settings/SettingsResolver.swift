import Foundation
import Store

/// Decides the database, the CSV path and the log level of a run (architecture, "The command
/// line"). Pure: the caller passes the process environment and the parsed `.env`.
///
/// Database, first that applies:
/// 1. `--database`;
/// 2. `DATABASE_URL` of the environment;
/// 3. the Ed-Fi options and variables, when any connection option is given by a flag or the
///    environment (a missing one may come from `.env`, as with the Ed-Fi loader's `load_dotenv`);
/// 4. `.env`: its `DATABASE_URL`, else its Ed-Fi variables;
/// 5. `defaultDatabase` (`sqlite:lms.sqlite` for `load`), else `SettingsError.noDatabase`.
/// Other settings: flag, then environment, then `.env`, then the default.
public enum SettingsResolver {
  /// The Ed-Fi loader's variable names (its `helpers/argparser.py`).
  public enum Variable {
    public static let databaseURL = "DATABASE_URL"
    public static let engine = "DB_ENGINE"
    public static let server = "DB_SERVER"
    public static let port = "DB_PORT"
    public static let dbname = "DB_NAME"
    public static let username = "DB_USERNAME"
    public static let password = "DB_PASSWORD"
    public static let useIntegratedSecurity = "USE_INTEGRATED_SECURITY"
    public static let encrypt = "ENCRYPT_SQL_CONNECTION"
    public static let trustCertificate = "TRUST_SERVER_CERTIFICATE"
    public static let csvPath = "CSV_PATH"
    public static let logLevel = "LOG_LEVEL"
  }

  public static let loadDefaultDatabase = "sqlite:lms.sqlite"

  public static func resolve(
    flags: EdFiFlags, environment: [String: String], dotEnv: [String: String],
    defaultDatabase: String?
  ) throws -> ResolvedSettings {
    let (database, databaseSource) = try resolveDatabase(
      flags: flags, environment: environment, dotEnv: dotEnv, defaultDatabase: defaultDatabase)
    let values = Values(flags: flags, environment: environment, dotEnv: dotEnv)
    let csvPath = values.text(flag: flags.csvPath, "--csvpath", Variable.csvPath)
    var logLevel = LogLevel.info
    var logLevelSource = SettingSource.defaultValue
    if let (text, source) = values.text(flag: flags.logLevel, "--log-level", Variable.logLevel) {
      guard let level = LogLevel(name: text) else {
        throw SettingsError.invalidLogLevel(source: source.description, value: text)
      }
      (logLevel, logLevelSource) = (level, source)
    }
    return ResolvedSettings(
      database: database, databaseSource: databaseSource, csvPath: csvPath?.value,
      csvPathSource: csvPath?.source, logLevel: logLevel, logLevelSource: logLevelSource)
  }

  static func resolveDatabase(
    flags: EdFiFlags, environment: [String: String], dotEnv: [String: String],
    defaultDatabase: String?
  ) throws -> (DatabaseLocation, SettingSource) {
    if let url = flags.database {
      return (try parse(url, .flag("--database")), .flag("--database"))
    }
    if let url = environment[Variable.databaseURL], !url.isEmpty {
      return (
        try parse(url, .environment(Variable.databaseURL)), .environment(Variable.databaseURL)
      )
    }
    let processValues = Values(flags: flags, environment: environment, dotEnv: dotEnv)
    if try processValues.anyConnectionOption(includingDotEnv: false) {
      return try edFiLocation(processValues)
    }
    if let url = dotEnv[Variable.databaseURL], !url.isEmpty {
      return (try parse(url, .dotEnv(Variable.databaseURL)), .dotEnv(Variable.databaseURL))
    }
    if try processValues.anyConnectionOption(includingDotEnv: true) {
      return try edFiLocation(processValues)
    }
    if let defaultDatabase {
      return (try parse(defaultDatabase, .defaultValue), .defaultValue)
    }
    throw SettingsError.noDatabase
  }

  private static func parse(_ url: String, _ source: SettingSource) throws -> DatabaseLocation {
    do {
      return try DatabaseLocation(url: url)
    } catch let error as DatabaseLocationError {
      throw SettingsError.invalidDatabaseURL(source: source, reason: error.description)
    }
  }

  /// As the Ed-Fi loader builds its connection: engine `mssql` unless told otherwise; server and
  /// database name required; port 0 or none means the engine's default; SQL Server needs a user
  /// name and password unless integrated security is on; the certificate is trusted only for an
  /// encrypted connection.
  private static func edFiLocation(_ values: Values) throws -> (DatabaseLocation, SettingSource) {
    var used: [String] = []
    func text(_ flag: String?, _ name: String, _ variable: String) -> String? {
      guard let (value, source) = values.text(flag: flag, name, variable) else { return nil }
      used.append(values.label(source))
      return value
    }
    func flag(_ given: Bool, _ name: String, _ variable: String) throws -> Bool {
      guard let source = try values.flag(given, name, variable) else { return false }
      used.append(values.label(source))
      return true
    }

    let flags = values.flags
    let engineText = text(flags.engine, "--engine", Variable.engine)
    let engine = engineText?.lowercased() ?? "mssql"
    guard engine == "mssql" || engine == "postgresql" else {
      throw SettingsError.invalidEngine(source: used.last ?? "--engine")
    }
    guard let server = text(flags.server, "--server", Variable.server) else {
      throw SettingsError.missingEdFiOption("--server or \(Variable.server)")
    }
    var port: Int? = nil
    if let given = flags.port {
      guard (0...65535).contains(given) else { throw SettingsError.invalidPort(source: "--port") }
      port = given
      used.append("--port")
    } else if let (portText, source) = values.text(flag: nil, "--port", Variable.port) {
      guard let number = Int(portText.trimmingCharacters(in: .whitespaces)),
        (0...65535).contains(number)
      else { throw SettingsError.invalidPort(source: source.description) }
      port = number
      used.append(values.label(source))
    }
    if port == 0 { port = nil }
    guard let dbname = text(flags.dbname, "--dbname", Variable.dbname) else {
      throw SettingsError.missingEdFiOption("--dbname or \(Variable.dbname)")
    }
    let integrated = try flag(
      flags.useIntegratedSecurity, "--useintegratedsecurity", Variable.useIntegratedSecurity)
    let encrypt = try flag(flags.encrypt, "--encrypt", Variable.encrypt)
    let trust = try flag(flags.trustCertificate, "--trust-certificate", Variable.trustCertificate)
    let username = integrated ? nil : text(flags.username, "--username", Variable.username)
    let password = integrated ? nil : text(flags.password, "--password", Variable.password)

    let location: DatabaseLocation
    if engine == "postgresql" {
      // The Ed-Fi loader ignores --encrypt for PostgreSQL; asking for encryption should get it.
      location = .postgresql(
        PostgresConnectionOptions(
          host: server, port: port ?? DatabaseLocation.defaultPostgresPort, user: username,
          password: password, database: dbname, parameters: encrypt ? ["sslmode": "require"] : [:]))
    } else {
      if !integrated, username == nil || password == nil {
        throw SettingsError.missingEdFiOption(
          "--username and --password (or \(Variable.username) and \(Variable.password)), "
            + "or --useintegratedsecurity")
      }
      // Encryption is stated either way: ODBC driver 18 would otherwise encrypt where the
      // Ed-Fi loader (driver 17) did not.
      location = .sqlserver(
        SQLServerOptions(
          host: server, port: port ?? DatabaseLocation.defaultSQLServerPort, user: username,
          password: password, database: dbname, encrypt: encrypt,
          trustServerCertificate: encrypt && trust ? true : nil, integratedSecurity: integrated))
    }
    return (location, .edFiOptions(used))
  }

  /// One lookup order for every option: flag, process environment, `.env`. Empty variables
  /// count as unset, as in an `.env` template with blanks.
  struct Values {
    let flags: EdFiFlags
    let environment: [String: String]
    let dotEnv: [String: String]

    func text(flag: String?, _ name: String, _ variable: String) -> (
      value: String, source: SettingSource
    )? {
      if let flag { return (flag, .flag(name)) }
      if let value = environment[variable], !value.isEmpty {
        return (value, .environment(variable))
      }
      if let value = dotEnv[variable], !value.isEmpty { return (value, .dotEnv(variable)) }
      return nil
    }

    /// Where a true boolean came from; nil when it is false or unset.
    func flag(_ given: Bool, _ name: String, _ variable: String) throws -> SettingSource? {
      if given { return .flag(name) }
      for (table, source) in [
        (environment, SettingSource.environment(variable)), (dotEnv, .dotEnv(variable)),
      ] {
        guard let value = table[variable], !value.isEmpty else { continue }
        switch value.lowercased() {
        case "true", "yes", "t", "y", "1", "on": return source
        case "false", "no", "f", "n", "0", "off": return nil
        default: throw SettingsError.invalidBoolean(source: source.description)
        }
      }
      return nil
    }

    func label(_ source: SettingSource) -> String {
      switch source {
      case .flag(let name), .environment(let name): return name
      case .dotEnv(let name): return ".env \(name)"
      case .edFiOptions, .defaultValue: return source.description
      }
    }

    /// Whether the Ed-Fi connection options are in play (a false boolean does not count).
    func anyConnectionOption(includingDotEnv: Bool) throws -> Bool {
      let probe =
        includingDotEnv ? self : Values(flags: flags, environment: environment, dotEnv: [:])
      let texts: [(String?, String, String)] = [
        (flags.engine, "--engine", Variable.engine), (flags.server, "--server", Variable.server),
        (flags.port.map(String.init), "--port", Variable.port),
        (flags.dbname, "--dbname", Variable.dbname),
        (flags.username, "--username", Variable.username),
        (flags.password, "--password", Variable.password),
      ]
      if texts.contains(where: { probe.text(flag: $0.0, $0.1, $0.2) != nil }) { return true }
      let booleans: [(Bool, String, String)] = [
        (flags.useIntegratedSecurity, "--useintegratedsecurity", Variable.useIntegratedSecurity),
        (flags.encrypt, "--encrypt", Variable.encrypt),
        (flags.trustCertificate, "--trust-certificate", Variable.trustCertificate),
      ]
      return try booleans.contains { try probe.flag($0.0, $0.1, $0.2) != nil }
    }
  }
}
