import Foundation
import Testing
import UDM

@testable import Store

/// Run with `scripts/with-postgres.sh swift test --filter Migration`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LMSDS_TEST_POSTGRES_URL"] != nil))
struct MigrationPostgresTests {
  let runner = MigrationRunner(dialect: .postgresql)
  var edFiScripts: [Migration] { MigrationTestSupport.edFiScripts(.postgresql) }
  var ourScripts: [String] { runner.migrations.map(\.name).filter { $0 >= "1000" } }

  func lmsTables(_ connection: PostgresConnection) throws -> Set<String> {
    Set(
      try connection.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'lms'"
      ).compactMap { $0.text(0) })
  }

  func journal(_ connection: PostgresConnection) throws -> [String: String?] {
    var rows: [String: String?] = [:]
    for row in try connection.query("SELECT script, checksum FROM lms.migrationjournal") {
      rows[row.text(0) ?? ""] = row.text(1)
    }
    return rows
  }

  /// `table.column type [identity] [null]` per table, in column order.
  func describeColumns(_ connection: PostgresConnection) throws -> [String: [String]] {
    let rows = try connection.query(
      """
      SELECT table_name, table_name || '.' || column_name || ' ' ||
          CASE data_type
            WHEN 'character varying' THEN 'varchar(' || character_maximum_length || ')'
            WHEN 'timestamp without time zone' THEN 'timestamp'
            ELSE data_type END ||
          CASE WHEN is_identity = 'YES' THEN ' identity' ELSE '' END ||
          CASE WHEN is_nullable = 'YES' THEN ' null' ELSE '' END
      FROM information_schema.columns
      WHERE table_schema = 'lms'
      ORDER BY table_name, ordinal_position
      """)
    return Dictionary(grouping: rows, by: { $0.text(0) ?? "" }).mapValues {
      $0.compactMap { $0.text(1) }
    }
  }

  func runEdFiScriptsDirectly(_ connection: PostgresConnection) throws {
    for script in edFiScripts { try connection.executeScript(script.sql) }
  }

  @Test func freshMigrateCreatesEveryTableAndASecondRunAppliesNothing() throws {
    try withScratchDatabase { database in
      let connection = try database.connect()
      let report = try runner.migrate(connection)
      #expect(report.applied == runner.migrations.map(\.name))
      #expect(
        try lmsTables(connection) == [
          "migrationjournal", "processedfiles", "lmsuser", "lmssection", "assignment",
          "assignmentsubmissiontype", "lmsuserlmssectionassociation", "assignmentsubmission",
          "lmssectionactivity", "lmssystemactivity", "lmsuserattendanceevent", "lmsgrade",
          "fileledger", "scopewatermark", "sourcesystemowner",
        ])
      let recorded = try journal(connection)
      for migration in runner.migrations {
        #expect(recorded[migration.name] == .some(migration.checksum), "\(migration.name)")
      }
      let again = try runner.migrate(connection)
      #expect(again.applied.isEmpty)
      #expect(again.alreadyApplied == runner.migrations.count)
      #expect(again.adopted.isEmpty)
    }
  }

  @Test func dryRunOnAFreshDatabaseListsEverythingAndCreatesNothing() throws {
    try withScratchDatabase { database in
      let connection = try database.connect()
      #expect(try runner.dryRun(connection) == runner.migrations.map(\.name))
      #expect(
        try connection.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'lms'")
          == .integer(0))
    }
  }

  @Test func ourEdFiScriptsProduceTheEdFiLoaderColumns() throws {
    try withScratchDatabase { database in
      let connection = try database.connect()
      try runEdFiScriptsDirectly(connection)
      let expected = Dictionary(
        grouping: EdFiLoaderSchema.columns, by: { String($0.prefix { $0 != "." }) })
      let actual = try describeColumns(connection)
      #expect(Set(actual.keys) == Set(expected.keys))
      for (table, columns) in expected {
        #expect(actual[table] == columns, "lms.\(table)")
      }
      // The Harmonizer relies on these unique keys (lms-udm §4).
      let uniqueKeys = try connection.query(
        """
        SELECT c.conrelid::regclass::text FROM pg_constraint c
        WHERE c.contype = 'u' AND c.connamespace = 'lms'::regnamespace
          AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a
               WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey))
              = ARRAY['sourcesystem', 'sourcesystemidentifier']
        """
      ).compactMap { $0.text(0) }
      #expect(
        Set(uniqueKeys) == [
          "lms.lmsuser", "lms.lmssection", "lms.assignment", "lms.lmsuserlmssectionassociation",
          "lms.assignmentsubmission", "lms.lmssectionactivity", "lms.lmssystemactivity",
          "lms.lmsuserattendanceevent",
        ])
    }
  }

  /// A database the Ed-Fi loader built: its tables, its journal (numbered names, or the 1.0 names
  /// without numbers), and data that must survive.
  @Test(arguments: [false, true])
  func adoptsAnEdFiBuiltDatabase(unnumberedJournalNames: Bool) throws {
    try withScratchDatabase { database in
      let connection = try database.connect()
      try runEdFiScriptsDirectly(connection)
      let journalNames = edFiScripts.map {
        unnumberedJournalNames ? $0.journalNames.last! : $0.name
      }
      for name in journalNames {
        try connection.execute(
          "INSERT INTO lms.migrationjournal (script) VALUES ($1)", [.text(name)])
      }
      try connection.executeScript(
        """
        INSERT INTO lms.lmsuser (sourcesystemidentifier, sourcesystem, userrole, name, emailaddress)
        VALUES ('u1', 'Canvas', 'student', 'Ann', 'ann@example.org');
        INSERT INTO lms.lmssection (sourcesystemidentifier, sourcesystem, title)
        VALUES ('s1', 'Canvas', 'Algebra');
        """)

      #expect(try runner.dryRun(connection) == ourScripts)
      let report = try runner.migrate(connection)
      #expect(report.applied == ourScripts)
      #expect(report.alreadyApplied == edFiScripts.count)
      #expect(report.adopted.map(\.script) == edFiScripts.map(\.name))
      #expect(report.adopted.map(\.journalName) == journalNames)

      #expect(
        try connection.scalar("SELECT count(*) FROM lms.lmsuser WHERE name = 'Ann'") == .integer(1))
      #expect(try connection.scalar("SELECT count(*) FROM lms.lmssection") == .integer(1))
      let recorded = try journal(connection)
      for name in journalNames {
        #expect(recorded[name] == .some(nil), "\(name) keeps a NULL checksum")
      }
      #expect(
        try lmsTables(connection).isSuperset(of: ["lmsgrade", "fileledger", "scopewatermark"]))
      #expect(try runner.migrate(connection).applied.isEmpty)
    }
  }

  @Test func leavesTheHarmonizersObjectsAlone() throws {
    try withScratchDatabase { database in
      let connection = try database.connect()
      try connection.executeScript(
        """
        CREATE SCHEMA lms;
        CREATE TABLE lms.migrationjournal_harmonizer (
            script varchar(250) PRIMARY KEY, installdate timestamp NOT NULL DEFAULT now());
        INSERT INTO lms.migrationjournal_harmonizer (script) VALUES ('harmonizer_0001');
        """)
      let report = try runner.migrate(connection)
      #expect(report.applied == runner.migrations.map(\.name))
      #expect(
        try connection.scalar("SELECT script FROM lms.migrationjournal_harmonizer")
          == .text("harmonizer_0001"))
      #expect(try journal(connection)["harmonizer_0001"] == nil)
    }
  }

  @Test func anEditedAppliedScriptIsAnErrorNamingIt() throws {
    try withScratchDatabase { database in
      let connection = try database.connect()
      try runner.migrate(connection)
      try connection.execute(
        "UPDATE lms.migrationjournal SET checksum = 'fnv1a64:0000000000000000' WHERE script = $1",
        [.text("1003_create_scope_watermark")])
      do {
        try runner.migrate(connection)
        Issue.record("a changed checksum was accepted")
      } catch let error as MigrationError {
        guard case .checksumMismatch(let script, _, _) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(script == "1003_create_scope_watermark")
      }
    }
  }

  @Test func aFailingScriptRollsBackAloneReleasesTheLockAndTheNextRunResumes() throws {
    try withScratchDatabase { database in
      let connection = try database.connect()
      let first = runner.migrations[0]
      let good = Migration(name: "0002_good", sql: "CREATE TABLE lms.good (x integer);")
      let broken = Migration(
        name: "0003_broken", sql: "CREATE TABLE lms.half (x integer); SELECT 1 / 0;")
      let later = Migration(name: "0004_later", sql: "CREATE TABLE lms.later (x integer);")
      do {
        try MigrationRunner(migrations: [first, good, broken, later]).migrate(connection)
        Issue.record("the broken script did not fail")
      } catch let error as MigrationError {
        guard case .scriptFailed(let script, let message) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(script == "0003_broken")
        #expect(message.contains("division by zero"))
      }
      #expect(try lmsTables(connection) == ["migrationjournal", "good"])
      #expect(
        try connection.scalar(
          """
          SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          """) == .integer(0))

      let fixed = Migration(name: "0003_broken", sql: "CREATE TABLE lms.half (x integer);")
      let report = try MigrationRunner(migrations: [first, good, fixed, later]).migrate(connection)
      #expect(report.applied == ["0003_broken", "0004_later"])
    }
  }

  @Test func twoProcessesMigratingAtOnceMigrateOnce() async throws {
    try await withScratchDatabaseAsync { database in
      let options = database.options
      let migrate: @Sendable () throws -> MigrationReport = {
        try MigrationRunner(dialect: .postgresql).migrate(try PostgresConnection(options))
      }
      async let first = MigrationTestSupport.onThread(migrate)
      async let second = MigrationTestSupport.onThread(migrate)
      let reports = try await [first, second]
      let names = runner.migrations.map(\.name)
      #expect(reports.flatMap(\.applied).sorted() == names)
      #expect(reports.contains { $0.applied.isEmpty })
      #expect(try journal(try database.connect()).count == names.count)
    }
  }

  @Test func everyResourceSpecColumnExistsWithACompatibleType() throws {
    try withScratchDatabase { database in
      let connection = try database.connect()
      try runner.migrate(connection)
      for expected in MigrationTestSupport.resourceSpecColumns() {
        let row = try connection.query(
          """
          SELECT data_type, character_maximum_length, is_nullable FROM information_schema.columns
          WHERE table_schema = 'lms' AND table_name = $1 AND column_name = $2
          """, [.text(expected.table.lowercased()), .text(expected.column.lowercased())]
        ).first
        guard let row else {
          Issue.record("\(expected) is missing")
          continue
        }
        switch expected.type {
        case .integer: #expect(row.text(0) == "integer", "\(expected)")
        case .timestamp: #expect(row.text(0) == "timestamp without time zone", "\(expected)")
        case .date: #expect(row.text(0) == "date", "\(expected)")
        case .text(let maxLength):
          #expect(row.text(0) == "character varying", "\(expected)")
          #expect(row.int(1) == Int64(maxLength), "\(expected) length")
        }
        #expect((row.text(2) == "NO") == expected.notNull, "\(expected) nullability")
      }
    }
  }
}
