import ArgumentParser

/// Where the database is: `--database URL`, or the Ed-Fi loader's own options, short and long, so
/// that an existing installation (its scripts, its `.env`) switches by changing one command. Passwords are better given by environment or
/// `.env` than here: a flag shows in `ps`.
struct DatabaseOptions: ParsableArguments {
  @Option(
    name: .customLong("database"),
    help:
      "postgresql://user:pass@host:port/db?sslmode=…, sqlite:PATH, mssql://…, odbc:<connection string> (also DATABASE_URL)."
  )
  var url: String?

  @Option(name: [.customShort("e"), .customLong("engine")], help: "Ed-Fi: mssql or postgresql.")
  var engine: String?
  @Option(name: [.customShort("s"), .customLong("server")], help: "Ed-Fi: database server host.")
  var server: String?
  @Option(name: .customLong("port"), help: "Ed-Fi: database server port.")
  var port: Int?
  @Option(name: [.customShort("d"), .customLong("dbname")], help: "Ed-Fi: database name.")
  var dbname: String?
  @Option(name: [.customShort("u"), .customLong("username")], help: "Ed-Fi: user name.")
  var username: String?
  @Option(
    name: [.customShort("p"), .customLong("password")],
    help: "Ed-Fi: password (prefer DB_PASSWORD or .env).")
  var password: String?
  @Flag(
    name: [.customShort("i"), .customLong("useintegratedsecurity")],
    help: "Ed-Fi: Windows integrated security (SQL Server).")
  var useIntegratedSecurity = false
  @Flag(
    name: [.customShort("n"), .customLong("encrypt")],
    help: "Ed-Fi: encrypt the SQL Server connection.")
  var encrypt = false
  @Flag(
    name: [.customShort("t"), .customLong("trust-certificate")],
    help: "Ed-Fi: trust the server certificate.")
  var trustCertificate = false
}
