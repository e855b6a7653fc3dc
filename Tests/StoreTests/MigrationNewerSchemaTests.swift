import Foundation
import Testing

@testable import Store

/// An older binary on a database a newer lmsds migrated: refused before anything runs, while
/// journal rows of the Ed-Fi loader or the harmonizer (no checksum) stay accepted.
@Suite struct MigrationNewerSchemaTests {
  func withMigratedDatabase(_ body: (SQLiteConnection, MigrationRunner) throws -> Void) throws {
    let path = MigrationTestSupport.temporaryDatabasePath()
    defer { MigrationTestSupport.removeDatabase(path) }
    let connection = try SQLiteConnection(path: path)
    let runner = MigrationRunner(dialect: .sqlite)
    try runner.migrate(connection)
    try body(connection, runner)
  }

  func addJournalRow(_ connection: SQLiteConnection, _ script: String, checksum: String?) throws {
    try connection.execute(
      "INSERT INTO MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, datetime('now'), $2)",
      [.text(script), checksum.map { .text($0) } ?? .null])
  }

  @Test func aScriptOfOursThisBuildDoesNotKnowIsRefusedNamingIt() throws {
    try withMigratedDatabase { connection, runner in
      try addJournalRow(
        connection, "9001_from_a_newer_lmsds", checksum: String(repeating: "a", count: 64))
      let error = #expect(throws: MigrationError.self) { try runner.migrate(connection) }
      #expect(
        error
          == .newerSchema(
            unknownScripts: ["9001_from_a_newer_lmsds"], newestKnown: runner.migrations.last?.name))
      #expect(error?.description.contains("9001_from_a_newer_lmsds") == true)
      #expect(error?.description.contains(runner.migrations.last!.name) == true)

      let plan = try runner.plan(connection)
      #expect(plan.pending.isEmpty)
      #expect(plan.unknown == ["9001_from_a_newer_lmsds"])
    }
  }

  @Test func scriptsWithoutAChecksumAreOtherToolsAndAccepted() throws {
    try withMigratedDatabase { connection, runner in
      try addJournalRow(connection, "harmonizer_0001_create_views", checksum: nil)
      let report = try runner.migrate(connection)
      #expect(report.applied.isEmpty)
      #expect(try runner.plan(connection).unknown.isEmpty)
    }
  }
}
