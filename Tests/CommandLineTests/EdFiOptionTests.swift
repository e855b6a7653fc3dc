import Foundation
import LMSDSTestSupport
import Store
import Testing

/// The Ed-Fi LMS Data Store Loader's command line, short options included, works unchanged; an
/// incomplete one is a usage error, never a quiet load into the embedded SQLite file.
struct EdFiOptionTests {
  @Test(.enabled(if: ScratchPostgres.shouldRun))
  func theEdFiShortOptionCommandLineLoadsTheSampleIntoPostgreSQL() throws {
    let database = try ScratchPostgres()
    let scratch = try ScratchDirectory()
    let run = try LmsdsRun.run(
      [
        "load", "-c", sampleRoot, "-e", "postgresql", "-s", database.host, "--port",
        String(database.port), "-d", database.name, "-u", database.user, "-p", database.password,
        "-l", "INFO", "--settle-seconds", "0",
      ], in: scratch.path)
    #expect(run.status == 0 || run.status == 3, "\(run.output)")
    #expect(!scratch.exists("lms.sqlite"), "loaded into SQLite instead")

    // Every sample file has its ledger row in that database, and its users arrived.
    let csvFiles =
      FileManager.default.enumerator(atPath: sampleRoot)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".csv") } ?? []
    #expect(!csvFiles.isEmpty)
    let ledgerRows = try database.connection.query("SELECT count(*) FROM lms.FileLedger")
    #expect(ledgerRows.first?.int(0) == Int64(csvFiles.count))
    let users = try database.connection.query("SELECT count(*) FROM lms.LMSUser")
    #expect((users.first?.int(0) ?? 0) > 0)

    // The first log line and the summary name the database, the password masked.
    let masked =
      "postgresql://\(database.user):***@\(database.host):\(database.port)/\(database.name)"
    let firstLine = run.standardError.split(separator: "\n").first.map(String.init) ?? ""
    #expect(firstLine.contains("database \(masked)"), "\(firstLine)")
    #expect(run.standardOutput.contains("Database  \(masked)"), "\(run.standardOutput)")
    #expect(!run.output.contains(database.password))
    #expect(!run.output.contains("no database configured"))
  }

  @Test func aPartialEdFiOptionSetIsAUsageErrorNamingWhatIsMissing() throws {
    let scratch = try ScratchDirectory()
    let cases: [(arguments: [String], environment: [String: String], missing: String)] = [
      (["-s", "db.example"], [:], "--dbname"),
      (["-d", "lms", "-u", "sa"], ["DB_PASSWORD": "x"], "--server"),
      (["-e", "postgresql"], [:], "--server"),
      ([], ["DB_SERVER": "db.example"], "--dbname"),
      (["-s", "db.example", "-d", "lms"], [:], "--username and --password"),
    ]
    for item in cases {
      let run = try LmsdsRun.run(
        ["load", "-c", sampleRoot] + item.arguments, in: scratch.path,
        environment: item.environment)
      #expect(run.status == 2, "\(item.arguments): \(run.output)")
      #expect(run.standardError.contains(item.missing), "\(item.arguments): \(run.output)")
      #expect(!scratch.exists("lms.sqlite"), "\(item.arguments) fell back to SQLite")
    }
  }

  @Test func edFiConnectionOptionsWithoutAnEngineMeanSQLServer() throws {
    let scratch = try ScratchDirectory()
    // Port 1 on the loopback: nothing listens, whatever ODBC driver is installed.
    let run = try LmsdsRun.run(
      ["load", "-c", sampleRoot, "-s", "127.0.0.1", "--port", "1", "-d", "lms", "-u", "sa"],
      in: scratch.path, environment: ["DB_PASSWORD": "not-a-real-secret"])
    #expect(run.status == 1, "\(run.output)")
    #expect(run.output.contains("mssql://sa:***@127.0.0.1:1/lms"), "\(run.output)")
    #expect(!run.output.contains("not-a-real-secret"))
    #expect(!scratch.exists("lms.sqlite"))
  }

  @Test func eachShortOptionIsTheLongOne() throws {
    let scratch = try ScratchDirectory()
    // -i, -n, -t are flags; with -e mssql the resolver builds its connection from them, and the
    // failed connection's message shows what it understood.
    let run = try LmsdsRun.run(
      ["migrate", "-e", "mssql", "-s", "127.0.0.1", "--port", "1", "-d", "lms", "-i", "-n", "-t"],
      in: scratch.path)
    #expect(run.status == 1, "\(run.output)")
    for item in [
      "mssql://127.0.0.1:1/lms", "encrypt=yes", "trustServerCertificate=yes",
      "integratedSecurity=yes",
    ] {
      #expect(run.output.contains(item), "\(item): \(run.output)")
    }
  }
}
