/// The command-line options that choose a database and the loader's basics: our `--database`
/// plus the Ed-Fi LMS Data Store Loader's own options, so an installation that ran that loader
/// switches by changing the command's name. nil / false means "not given".
public struct EdFiFlags: Sendable, Hashable {
  public var database: String?
  /// `mssql` or `postgresql`.
  public var engine: String?
  public var server: String?
  public var port: Int?
  public var dbname: String?
  public var username: String?
  public var password: String?
  public var useIntegratedSecurity: Bool
  public var encrypt: Bool
  public var trustCertificate: Bool
  public var csvPath: String?
  public var logLevel: String?

  public init(
    database: String? = nil, engine: String? = nil, server: String? = nil, port: Int? = nil,
    dbname: String? = nil, username: String? = nil, password: String? = nil,
    useIntegratedSecurity: Bool = false, encrypt: Bool = false, trustCertificate: Bool = false,
    csvPath: String? = nil, logLevel: String? = nil
  ) {
    self.database = database
    self.engine = engine
    self.server = server
    self.port = port
    self.dbname = dbname
    self.username = username
    self.password = password
    self.useIntegratedSecurity = useIntegratedSecurity
    self.encrypt = encrypt
    self.trustCertificate = trustCertificate
    self.csvPath = csvPath
    self.logLevel = logLevel
  }
}

extension EdFiFlags: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// Printable without the password or a `--database` URL, which may hold one.
  public var description: String {
    var parts: [String] = []
    if database != nil { parts.append("--database (given)") }
    if let engine { parts.append("--engine \(engine)") }
    if let server { parts.append("--server \(server)") }
    if let port { parts.append("--port \(port)") }
    if let dbname { parts.append("--dbname \(dbname)") }
    if let username { parts.append("--username \(username)") }
    if password != nil { parts.append("--password ***") }
    if useIntegratedSecurity { parts.append("--useintegratedsecurity") }
    if encrypt { parts.append("--encrypt") }
    if trustCertificate { parts.append("--trust-certificate") }
    if let csvPath { parts.append("--csvpath \(csvPath)") }
    if let logLevel { parts.append("--log-level \(logLevel)") }
    return parts.joined(separator: " ")
  }

  public var debugDescription: String { "EdFiFlags(\(description))" }
  public var customMirror: Mirror { Mirror(self, children: ["flags": description]) }
}
