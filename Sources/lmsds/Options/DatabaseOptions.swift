import ArgumentParser

/// Where the database is: `--database URL`, or the Ed-Fi loader's own options so that an existing
/// installation switches by changing one command. Passwords are better given by environment or
/// `.env` than here: a flag shows in `ps`.
struct DatabaseOptions: ParsableArguments {
  @Option(
    name: .customLong("database"),
    help:
      "postgresql://user:pass@host:port/db?sslmode=…, sqlite:PATH, mssql://…, odbc:<connection string> (also DATABASE_URL)."
  )
  var url: String?

  @Option(name: .customLong("engine"), help: "Ed-Fi: mssql or postgresql.")
  var engine: String?
  @Option(name: .customLong("server"), help: "Ed-Fi: database server host.")
  var server: String?
  @Option(name: .customLong("port"), help: "Ed-Fi: database server port.")
  var port: Int?
  @Option(name: .customLong("dbname"), help: "Ed-Fi: database name.")
  var dbname: String?
  @Option(name: .customLong("username"), help: "Ed-Fi: user name.")
  var username: String?
  @Option(name: .customLong("password"), help: "Ed-Fi: password (prefer DB_PASSWORD or .env).")
  var password: String?
  @Flag(
    name: .customLong("useintegratedsecurity"),
    help: "Ed-Fi: Windows integrated security (SQL Server).")
  var useIntegratedSecurity = false
  @Flag(name: .customLong("encrypt"), help: "Ed-Fi: encrypt the SQL Server connection.")
  var encrypt = false
  @Flag(name: .customLong("trust-certificate"), help: "Ed-Fi: trust the server certificate.")
  var trustCertificate = false
}
