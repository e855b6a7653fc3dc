import Testing

@testable import Settings
@testable import Store

private func resolve(
  _ flags: EdFiFlags = EdFiFlags(), environment: [String: String] = [:],
  dotEnv: [String: String] = [:], defaultDatabase: String? = SettingsResolver.loadDefaultDatabase
) throws -> ResolvedSettings {
  try SettingsResolver.resolve(
    flags: flags, environment: environment, dotEnv: dotEnv, defaultDatabase: defaultDatabase)
}

private let edFiEnvironment = [
  "DB_SERVER": "sql.local", "DB_NAME": "lms", "DB_USERNAME": "sa", "DB_PASSWORD": "hunter2",
]

@Suite struct SettingsResolverTests {
  // MARK: precedence, one step at a time

  @Test func databaseFlagWinsOverEverything() throws {
    let settings = try resolve(
      EdFiFlags(database: "sqlite:flag.db", engine: "postgresql", server: "s", dbname: "d"),
      environment: ["DATABASE_URL": "sqlite:env.db"].merging(edFiEnvironment) { $1 },
      dotEnv: ["DATABASE_URL": "sqlite:dotenv.db"])
    #expect(settings.database == .sqlite(path: "flag.db"))
    #expect(settings.databaseSource == .flag("--database"))
  }

  @Test func databaseURLVariableWinsOverEdFiOptions() throws {
    let settings = try resolve(
      EdFiFlags(server: "s", dbname: "d", useIntegratedSecurity: true),
      environment: ["DATABASE_URL": "sqlite:env.db"], dotEnv: ["DATABASE_URL": "sqlite:dotenv.db"])
    #expect(settings.database == .sqlite(path: "env.db"))
    #expect(settings.databaseSource == .environment("DATABASE_URL"))
  }

  @Test func edFiOptionsWinOverDotEnv() throws {
    let settings = try resolve(
      EdFiFlags(server: "sql.local", dbname: "lms", useIntegratedSecurity: true),
      dotEnv: ["DATABASE_URL": "sqlite:dotenv.db"])
    #expect(
      settings.database
        == .sqlserver(
          SQLServerOptions(
            host: "sql.local", port: 1433, database: "lms", encrypt: false, integratedSecurity: true
          )))
    #expect(
      settings.databaseSource == .edFiOptions(["--server", "--dbname", "--useintegratedsecurity"]))
  }

  @Test func edFiVariablesOfTheEnvironmentWinOverDotEnvURL() throws {
    let settings = try resolve(
      environment: edFiEnvironment, dotEnv: ["DATABASE_URL": "sqlite:dotenv.db"])
    #expect(
      settings.database
        == .sqlserver(
          SQLServerOptions(
            host: "sql.local", user: "sa", password: "hunter2", database: "lms", encrypt: false)))
  }

  @Test func dotEnvURLThenDotEnvEdFiVariables() throws {
    let url = try resolve(dotEnv: ["DATABASE_URL": "sqlite:dotenv.db", "DB_SERVER": "ignored"])
    #expect(url.database == .sqlite(path: "dotenv.db"))
    #expect(url.databaseSource == .dotEnv("DATABASE_URL"))
    let edFi = try resolve(dotEnv: edFiEnvironment.merging(["DB_ENGINE": "postgresql"]) { $1 })
    #expect(
      edFi.database
        == .postgresql(
          PostgresConnectionOptions(
            host: "sql.local", user: "sa", password: "hunter2", database: "lms")))
    #expect(
      edFi.databaseSource
        == .edFiOptions([
          ".env DB_ENGINE", ".env DB_SERVER", ".env DB_NAME", ".env DB_USERNAME",
          ".env DB_PASSWORD",
        ]))
  }

  @Test func defaultIsAParameter() throws {
    let settings = try resolve()
    #expect(settings.database == .sqlite(path: "lms.sqlite"))
    #expect(settings.databaseSource == .defaultValue)
    #expect(try resolve(defaultDatabase: "sqlite::memory:").database == .sqlite(path: ":memory:"))
    #expect(throws: SettingsError.noDatabase) { try resolve(defaultDatabase: nil) }
  }

  @Test func eachEdFiOptionPrefersFlagThenEnvironmentThenDotEnv() throws {
    let settings = try resolve(
      EdFiFlags(server: "flag-server"),
      environment: ["DB_SERVER": "env-server", "DB_NAME": "env-db", "DB_USERNAME": "env-user"],
      dotEnv: [
        "DB_SERVER": "dotenv-server", "DB_NAME": "dotenv-db", "DB_USERNAME": "dotenv-user",
        "DB_PASSWORD": "dotenv-secret",
      ])
    #expect(
      settings.database
        == .sqlserver(
          SQLServerOptions(
            host: "flag-server", user: "env-user", password: "dotenv-secret", database: "env-db",
            encrypt: false)))
    #expect(
      settings.databaseSource
        == .edFiOptions(["--server", "DB_NAME", "DB_USERNAME", ".env DB_PASSWORD"]))
  }

  // MARK: Ed-Fi defaults and rules

  @Test func engineDefaultsToSQLServerAndPortsToTheEngines() throws {
    let mssql = try resolve(environment: edFiEnvironment)
    guard case .sqlserver(let options) = mssql.database else {
      Issue.record("expected SQL Server")
      return
    }
    #expect(options.port == 1433)
    #expect(options.encrypt == false)
    #expect(options.trustServerCertificate == nil)
    let postgres = try resolve(
      EdFiFlags(engine: "PostgreSQL", port: 0), environment: edFiEnvironment)
    guard case .postgresql(let pg) = postgres.database else {
      Issue.record("expected PostgreSQL")
      return
    }
    #expect(pg.port == 5432)
    #expect(pg.parameters.isEmpty)
    let custom = try resolve(environment: edFiEnvironment.merging(["DB_PORT": "14330"]) { $1 })
    guard case .sqlserver(let customOptions) = custom.database else { return }
    #expect(customOptions.port == 14330)
  }

  @Test func encryptionAndTrust() throws {
    let trustWithoutEncrypt = try resolve(
      EdFiFlags(trustCertificate: true), environment: edFiEnvironment)
    guard case .sqlserver(let plain) = trustWithoutEncrypt.database else { return }
    #expect(plain.encrypt == false)
    #expect(plain.trustServerCertificate == nil)
    let both = try resolve(
      environment: edFiEnvironment.merging(
        ["ENCRYPT_SQL_CONNECTION": "True", "TRUST_SERVER_CERTIFICATE": "yes"]) { $1 })
    guard case .sqlserver(let encrypted) = both.database else { return }
    #expect(encrypted.encrypt == true)
    #expect(encrypted.trustServerCertificate == true)
    let postgres = try resolve(
      EdFiFlags(engine: "postgresql", encrypt: true), environment: edFiEnvironment)
    guard case .postgresql(let pg) = postgres.database else { return }
    #expect(pg.parameters == ["sslmode": "require"])
  }

  @Test func integratedSecurityFromTheEnvironmentDropsCredentials() throws {
    let settings = try resolve(
      environment: edFiEnvironment.merging(["USE_INTEGRATED_SECURITY": "y"]) { $1 })
    #expect(
      settings.database
        == .sqlserver(
          SQLServerOptions(
            host: "sql.local", database: "lms", encrypt: false, integratedSecurity: true)))
  }

  @Test func falseBooleansDoNotSwitchToEdFi() throws {
    let settings = try resolve(
      environment: ["ENCRYPT_SQL_CONNECTION": "False", "USE_INTEGRATED_SECURITY": "no"])
    #expect(settings.database == .sqlite(path: "lms.sqlite"))
  }

  @Test func missingOrBadEdFiOptions() throws {
    #expect(throws: SettingsError.missingEdFiOption("--server or DB_SERVER")) {
      try resolve(EdFiFlags(engine: "postgresql"))
    }
    #expect(throws: SettingsError.missingEdFiOption("--dbname or DB_NAME")) {
      try resolve(environment: ["DB_SERVER": "s"])
    }
    #expect(throws: SettingsError.self) {
      try resolve(EdFiFlags(server: "s", dbname: "d", username: "sa"))
    }
    #expect(throws: SettingsError.invalidEngine(source: "--engine")) {
      try resolve(EdFiFlags(engine: "oracle", server: "s", dbname: "d"))
    }
    #expect(throws: SettingsError.invalidPort(source: "environment variable DB_PORT")) {
      try resolve(environment: edFiEnvironment.merging(["DB_PORT": "14x"]) { $1 })
    }
    #expect(throws: SettingsError.invalidBoolean(source: ".env ENCRYPT_SQL_CONNECTION")) {
      try resolve(dotEnv: ["ENCRYPT_SQL_CONNECTION": "maybe"])
    }
    // PostgreSQL may rely on libpq's own credentials (`.pgpass`, peer authentication).
    #expect(
      try resolve(EdFiFlags(engine: "postgresql", server: "s", dbname: "d")).database
        == .postgresql(PostgresConnectionOptions(host: "s", database: "d")))
  }

  @Test func badURLsNameTheirSourceButNotTheirPassword() throws {
    let error = #expect(throws: SettingsError.self) {
      try resolve(environment: ["DATABASE_URL": "postgresql://u:hunter2@h:hunter2/d"])
    }
    #expect(error?.description.hasPrefix("environment variable DATABASE_URL:") == true)
    #expect(error?.description.contains("hunter2") == false)
  }

  // MARK: csv path and log level

  @Test func csvPathAndLogLevel() throws {
    let fromFlags = try resolve(
      EdFiFlags(csvPath: "/flag", logLevel: "debug"),
      environment: ["CSV_PATH": "/env", "LOG_LEVEL": "ERROR"], dotEnv: ["CSV_PATH": "/dotenv"])
    #expect(fromFlags.csvPath == "/flag")
    #expect(fromFlags.csvPathSource == .flag("--csvpath"))
    #expect(fromFlags.logLevel == .debug)
    let fromEnvironment = try resolve(
      environment: ["CSV_PATH": "/env", "LOG_LEVEL": "WARNING"], dotEnv: ["CSV_PATH": "/dotenv"])
    #expect(fromEnvironment.csvPath == "/env")
    #expect(fromEnvironment.logLevel == .warning)
    #expect(fromEnvironment.logLevelSource == .environment("LOG_LEVEL"))
    let fromDotEnv = try resolve(dotEnv: ["CSV_PATH": "/dotenv", "LOG_LEVEL": "CRITICAL"])
    #expect(fromDotEnv.csvPath == "/dotenv")
    #expect(fromDotEnv.csvPathSource == .dotEnv("CSV_PATH"))
    #expect(fromDotEnv.logLevel == .critical)
    let none = try resolve()
    #expect(none.csvPath == nil)
    #expect(none.logLevel == .info)
    #expect(none.logLevelSource == .defaultValue)
    #expect(throws: SettingsError.invalidLogLevel(source: "--log-level", value: "loud")) {
      try resolve(EdFiFlags(logLevel: "loud"))
    }
  }

  @Test func edFiLogLevelNames() {
    for (name, level) in [
      ("DEBUG", LogLevel.debug), ("INFO", .info), ("WARNING", .warning), ("warn", .warning),
      ("ERROR", .error), ("CRITICAL", .critical), ("trace", .trace), ("Notice", .notice),
    ] {
      #expect(LogLevel(name: name) == level)
    }
  }

  // MARK: secrecy

  @Test func passwordsNeverPrint() throws {
    let flags = EdFiFlags(password: "hunter2")
    for settings in [
      try resolve(environment: edFiEnvironment),
      try resolve(dotEnv: edFiEnvironment),
      try resolve(flags, environment: edFiEnvironment),
      try resolve(environment: ["DATABASE_URL": "postgresql://u:hunter2@h/d"]),
    ] {
      for form in printedForms(settings) { #expect(!form.contains("hunter2"), "\(form)") }
    }
    for form in printedForms(flags) + printedForms(EdFiFlags(database: "mssql://u:hunter2@h/d")) {
      #expect(!form.contains("hunter2"), "\(form)")
    }
    #expect(
      try resolve(environment: edFiEnvironment).description
        == "database mssql://sa:***@sql.local:1433/lms?encrypt=no (Ed-Fi options DB_SERVER, "
        + "DB_NAME, DB_USERNAME, DB_PASSWORD); log level info (default)")
  }
}
