import Testing

@testable import Store

private let secret = "S3cr%t:p@ss/w?rd"
private let encodedSecret = "S3cr%25t%3Ap@ss%2Fw%3Frd"

/// Every way a location can be turned into text.
func printedForms(_ value: Any) -> [String] {
  var dumped = ""
  dump(value, to: &dumped)
  return [String(describing: value), String(reflecting: value), "\(value)", dumped]
}

@Suite struct DatabaseLocationTests {
  @Test func postgresqlURL() throws {
    let location = try DatabaseLocation(
      url:
        "postgresql://lms%20user:\(encodedSecret)@db.example:6543/lms%2Fds?sslmode=require&application_name=lmsds"
    )
    guard case .postgresql(let options) = location else {
      Issue.record("not postgresql")
      return
    }
    #expect(options.user == "lms user")
    #expect(options.password == secret)
    #expect(options.host == "db.example")
    #expect(options.port == 6543)
    #expect(options.database == "lms/ds")
    #expect(options.parameters == ["sslmode": "require", "application_name": "lmsds"])
    #expect(location.dialect == .postgresql)
  }

  @Test func postgresqlDefaultsAndForms() throws {
    #expect(
      try DatabaseLocation(url: "postgres://") == .postgresql(PostgresConnectionOptions()))
    #expect(
      try DatabaseLocation(url: "POSTGRESQL://u@/db")
        == .postgresql(PostgresConnectionOptions(user: "u", database: "db")))
    #expect(
      try DatabaseLocation(url: "postgresql://[::1]:5433/x")
        == .postgresql(PostgresConnectionOptions(host: "::1", port: 5433, database: "x")))
    #expect(
      try DatabaseLocation(
        url: "postgresql:///lms?host=%2Fvar%2Frun%2Fpostgresql&port=5999&user=me")
        == .postgresql(
          PostgresConnectionOptions(
            host: "/var/run/postgresql", port: 5999, user: "me", database: "lms")))
    // An unencoded `@` in a password: the last `@` ends the user information.
    #expect(
      try DatabaseLocation(url: "postgresql://u:p@ss@h/d")
        == .postgresql(
          PostgresConnectionOptions(host: "h", user: "u", password: "p@ss", database: "d")))
    // `+` is not a space in these URLs.
    #expect(
      try DatabaseLocation(url: "postgresql://u:a+b@h/d")
        == .postgresql(
          PostgresConnectionOptions(host: "h", user: "u", password: "a+b", database: "d")))
  }

  @Test func sqlite() throws {
    #expect(try DatabaseLocation(url: "sqlite:lms.sqlite") == .sqlite(path: "lms.sqlite"))
    #expect(
      try DatabaseLocation(url: "sqlite:/var/lib/lms db.sqlite")
        == .sqlite(path: "/var/lib/lms db.sqlite"))
    #expect(try DatabaseLocation(url: "SQLite:a%20b.db") == .sqlite(path: "a%20b.db"))
    #expect(try DatabaseLocation(url: "sqlite::memory:") == .sqlite(path: ":memory:"))
    #expect(throws: DatabaseLocationError.missingSQLitePath) {
      try DatabaseLocation(url: "sqlite:")
    }
    #expect(throws: DatabaseLocationError.sqliteSlashes) {
      try DatabaseLocation(url: "sqlite:///tmp/x.db")
    }
    #expect(try DatabaseLocation(url: "sqlite:x").dialect == .sqlite)
  }

  @Test func sqlServerURL() throws {
    let location = try DatabaseLocation(
      url:
        "mssql://sa:\(encodedSecret)@sql.example/LMS?driver=ODBC%20Driver%2018%20for%20SQL%20Server"
        + "&Encrypt=yes&TrustServerCertificate=no&ApplicationIntent=ReadWrite")
    #expect(
      location
        == .sqlserver(
          SQLServerOptions(
            host: "sql.example", port: 1433, user: "sa", password: secret, database: "LMS",
            driver: "ODBC Driver 18 for SQL Server", encrypt: true, trustServerCertificate: false,
            extra: ["ApplicationIntent": "ReadWrite"])))
    #expect(location.dialect == .sqlserver)
    #expect(
      try DatabaseLocation(url: "sqlserver://h:14330/db?integratedSecurity=true")
        == .sqlserver(
          SQLServerOptions(host: "h", port: 14330, database: "db", integratedSecurity: true)))
    #expect(
      try DatabaseLocation(url: "mssql://h/db?Trusted_Connection=yes")
        == .sqlserver(SQLServerOptions(host: "h", database: "db", integratedSecurity: true)))
    #expect(throws: DatabaseLocationError.invalidFlag(scheme: "mssql", key: "encrypt")) {
      try DatabaseLocation(url: "mssql://h/db?encrypt=perhaps")
    }
    #expect(throws: DatabaseLocationError.self) {
      try DatabaseLocation(url: "mssql://u:p@h/db?integratedSecurity=yes")
    }
  }

  @Test func odbc() throws {
    let text =
      "Driver={ODBC Driver 18 for SQL Server};Server=tcp:h,1433;UID=sa;PWD={a;b}}c};Database=LMS"
    let location = try DatabaseLocation(url: "odbc:" + text)
    #expect(location == .odbc(connectionString: text))
    #expect(location.dialect == .sqlserver)
    #expect(
      location.redactedDescription
        == "odbc:Driver={ODBC Driver 18 for SQL Server};Server=tcp:h,1433;UID=sa;PWD=***;Database=LMS"
    )
    #expect(throws: DatabaseLocationError.emptyODBCConnectionString) {
      try DatabaseLocation(url: "odbc:  ")
    }
  }

  @Test(arguments: [
    ("DSN=x;pwd=hunter2", "DSN=x;pwd=***"),
    ("DSN=x; Password = hunter2 ;UID=u", "DSN=x; Password =***;UID=u"),
    ("PWD={hun;ter}}2}", "PWD=***"),
    ("PWD=hunter2", "PWD=***"),
    ("UID=u;garbage;PWD=hunter2;", "UID=u;garbage;PWD=***;"),
  ])
  func odbcPasswordsAreMasked(connectionString: String, expected: String) throws {
    let location = try DatabaseLocation(url: "odbc:" + connectionString)
    #expect(location.redactedDescription == "odbc:" + expected)
    for form in printedForms(location) {
      #expect(!form.contains("hunter2"))
      #expect(!form.contains("ter}"))
    }
  }

  @Test func redactedDescriptions() throws {
    #expect(
      try DatabaseLocation(url: "postgresql://u:\(encodedSecret)@h:5/d?sslmode=require")
        .redactedDescription
        == "postgresql://u:***@h:5/d?sslmode=require")
    #expect(
      try DatabaseLocation(url: "mssql://sa:\(encodedSecret)@h/d?encrypt=no").redactedDescription
        == "mssql://sa:***@h:1433/d?encrypt=no")
    #expect(try DatabaseLocation(url: "sqlite:x.db").redactedDescription == "sqlite:x.db")
  }

  @Test(arguments: [
    "postgresql://u:\(encodedSecret)@h/d", "postgresql://h/d?password=\(encodedSecret)",
    "mssql://u:\(encodedSecret)@h/d", "mssql://h/d?PWD=\(encodedSecret)",
  ])
  func passwordsNeverPrint(url: String) throws {
    let location = try DatabaseLocation(url: url)
    for form in printedForms(location) + printedForms([location]) {
      #expect(!form.contains("S3cr"), "\(form)")
    }
    if case .sqlserver(let options) = location {
      for form in printedForms(options) { #expect(!form.contains("S3cr")) }
    }
  }

  @Test(arguments: [
    "postgresql://user:hunter2/db",  // a missing `@` makes the password a port
    "postgresql://user:hunter2@host:hunter2/db",
    "postgresql://user:hunter2@host:99999/db",
    "postgresql://user:hunter2%zz@host/db",
    "postgresql://user:hunter2%C3@host/db",
    "postgresql:user:hunter2@host/db",
    "postgresql://user:hunter2@[::1/db",
    "postgresql://user:hunter2@host/db?=hunter2",
    "mssql://user:hunter2@host:x/db",
    "mssql://user:hunter2@host/db?encrypt=hunter2",
    "mysql://user:hunter2@host/db",
    "hunter2",
    "user:hunter2@host",
    "",
  ])
  func errorsNeverQuoteThePassword(url: String) {
    let error = #expect(throws: DatabaseLocationError.self) { try DatabaseLocation(url: url) }
    if let error {
      for form in printedForms(error) { #expect(!form.contains("hunter2"), "\(form)") }
    }
  }
}
