import Foundation
import Testing
import UDM

@testable import Store

@Suite struct MigrationSQLiteTests {
  static let expectedTables: Set<String> = [
    "MigrationJournal", "LMSUser", "LMSSection", "Assignment", "AssignmentSubmissionType",
    "LMSUserLMSSectionAssociation", "AssignmentSubmission", "LMSSectionActivity",
    "LMSSystemActivity", "LMSUserAttendanceEvent", "LMSGrade", "FileLedger", "ScopeWatermark",
    "SourceSystemOwner",
  ]

  /// Runs `body` with a connection to a new database file, deleted afterwards.
  func withDatabase<T>(_ body: (SQLiteConnection, String) throws -> T) throws -> T {
    let path = MigrationTestSupport.temporaryDatabasePath()
    defer { MigrationTestSupport.removeDatabase(path) }
    return try body(try SQLiteConnection(path: path), path)
  }

  func tables(_ connection: SQLiteConnection) throws -> Set<String> {
    Set(
      try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        .compactMap { $0.text(0) })
  }

  func journal(_ connection: SQLiteConnection) throws -> [String] {
    try connection.query("SELECT Script FROM MigrationJournal ORDER BY Script").compactMap {
      $0.text(0)
    }
  }

  @Test func freshMigrateCreatesEveryTableAndJournalsEveryScript() throws {
    try withDatabase { connection, _ in
      let runner = MigrationRunner(dialect: .sqlite)
      let report = try runner.migrate(connection)
      #expect(report.applied == runner.migrations.map(\.name))
      #expect(report.alreadyApplied == 0)
      #expect(report.adopted.isEmpty)
      #expect(try tables(connection) == Self.expectedTables)
      #expect(try journal(connection) == runner.migrations.map(\.name))
      let rows = try connection.query("SELECT Script, InstallDate, Checksum FROM MigrationJournal")
      for row in rows {
        let migration = try #require(runner.migrations.first { $0.name == row.text(0) })
        #expect(row.text(2) == migration.checksum)
        #expect(row.text(1)?.count == "YYYY-MM-DD HH:MM:SS".count)
      }
    }
  }

  @Test func secondRunAppliesNothing() throws {
    try withDatabase { connection, _ in
      let runner = MigrationRunner(dialect: .sqlite)
      try runner.migrate(connection)
      let again = try runner.migrate(connection)
      #expect(again.applied.isEmpty)
      #expect(again.alreadyApplied == runner.migrations.count)
    }
  }

  @Test func dryRunListsPendingScriptsAndChangesNothing() throws {
    try withDatabase { connection, _ in
      let all = MigrationRunner(dialect: .sqlite)
      #expect(try all.dryRun(connection) == all.migrations.map(\.name))
      #expect(try tables(connection).isEmpty)

      let firstFour = MigrationRunner(migrations: Array(all.migrations.prefix(4)))
      try firstFour.migrate(connection)
      let before = try tables(connection)
      #expect(try all.dryRun(connection) == all.migrations.dropFirst(4).map(\.name))
      #expect(try tables(connection) == before)
      #expect(try journal(connection).count == 4)
    }
  }

  @Test func anEditedAppliedScriptIsAnErrorNamingIt() throws {
    try withDatabase { connection, _ in
      let original = MigrationRunner(dialect: .sqlite)
      try original.migrate(connection)
      var edited = original.migrations
      let victim = edited[2]
      edited[2] = Migration(name: victim.name, sql: victim.sql + "\n-- edited after release\n")
      let runner = MigrationRunner(migrations: edited)
      #expect(throws: MigrationError.self) { try runner.migrate(connection) }
      do {
        _ = try runner.dryRun(connection)
        Issue.record("dry run accepted an edited script")
      } catch let error as MigrationError {
        guard case .checksumMismatch(let script, _, _) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(script == victim.name)
        #expect(error.description.contains(victim.name))
      }
    }
  }

  @Test func aFailingScriptRollsBackAloneAndTheNextRunResumes() throws {
    try withDatabase { connection, _ in
      let journalScript = MigrationRunner(dialect: .sqlite).migrations[0]
      let good = Migration(name: "0002_good", sql: "CREATE TABLE Good (x INTEGER);")
      let broken = Migration(
        name: "0003_broken",
        sql: "CREATE TABLE Half (x INTEGER); INSERT INTO NoSuchTable VALUES (1);")
      let later = Migration(name: "0004_later", sql: "CREATE TABLE Later (x INTEGER);")
      let runner = MigrationRunner(migrations: [journalScript, good, broken, later])

      do {
        try runner.migrate(connection)
        Issue.record("the broken script did not fail")
      } catch let error as MigrationError {
        guard case .scriptFailed(let script, let message) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(script == "0003_broken")
        #expect(message.contains("NoSuchTable"))
      }
      #expect(try tables(connection) == ["MigrationJournal", "Good"])
      #expect(try journal(connection) == [journalScript.name, "0002_good"])

      let fixed = Migration(name: "0003_broken", sql: "CREATE TABLE Half (x INTEGER);")
      let report = try MigrationRunner(migrations: [journalScript, good, fixed, later])
        .migrate(connection)
      #expect(report.applied == ["0003_broken", "0004_later"])
      #expect(report.alreadyApplied == 2)
      #expect(try tables(connection) == ["MigrationJournal", "Good", "Half", "Later"])
    }
  }

  @Test func twoProcessesMigratingAtOnceMigrateOnce() async throws {
    let path = MigrationTestSupport.temporaryDatabasePath()
    defer { MigrationTestSupport.removeDatabase(path) }
    let migrate: @Sendable () throws -> MigrationReport = {
      try MigrationRunner(dialect: .sqlite).migrate(try SQLiteConnection(path: path))
    }
    async let first = MigrationTestSupport.onThread(migrate)
    async let second = MigrationTestSupport.onThread(migrate)
    let reports = try await [first, second]

    let names = MigrationRunner(dialect: .sqlite).migrations.map(\.name)
    let applied = reports.flatMap(\.applied)
    #expect(applied.sorted() == names)
    for report in reports { #expect(report.applied.count + report.alreadyApplied == names.count) }
    let connection = try SQLiteConnection(path: path)
    #expect(try journal(connection) == names)
  }

  @Test func everyResourceSpecColumnExistsWithACompatibleType() throws {
    try withDatabase { connection, _ in
      try MigrationRunner(dialect: .sqlite).migrate(connection)
      for expected in MigrationTestSupport.resourceSpecColumns() {
        let row = try connection.query(
          "SELECT type, \"notnull\" FROM pragma_table_info($1) WHERE name = $2",
          [.text(expected.table), .text(expected.column)]
        ).first
        guard let row else {
          Issue.record("\(expected) is missing")
          continue
        }
        let wanted: String
        switch expected.type {
        case .integer: wanted = "INTEGER"
        case .text, .timestamp, .date: wanted = "TEXT"
        }
        #expect(row.text(0) == wanted, "\(expected) has type \(row.text(0) ?? "?")")
        #expect((row.int(1) == 1) == expected.notNull, "\(expected) nullability")
      }
    }
  }

  @Test func parentIndexesExist() throws {
    try withDatabase { connection, _ in
      try MigrationRunner(dialect: .sqlite).migrate(connection)
      let indexed: [(String, String)] = [
        ("Assignment", "LMSSectionIdentifier"),
        ("AssignmentSubmission", "AssignmentIdentifier"),
        ("LMSUserLMSSectionAssociation", "LMSSectionIdentifier"),
        ("LMSUserLMSSectionAssociation", "LMSUserIdentifier"),
        ("LMSGrade", "LMSUserLMSSectionAssociationIdentifier"),
        ("LMSUserAttendanceEvent", "LMSSectionIdentifier"),
        ("LMSSectionActivity", "LMSSectionIdentifier"),
      ]
      for (table, column) in indexed {
        let leading = try connection.query(
          """
          SELECT 1 FROM pragma_index_list($1) AS l, pragma_index_info(l.name) AS i
          WHERE i.seqno = 0 AND i.name = $2
          """, [.text(table), .text(column)])
        #expect(!leading.isEmpty, "no index leads with \(table).\(column)")
      }
    }
  }
}
