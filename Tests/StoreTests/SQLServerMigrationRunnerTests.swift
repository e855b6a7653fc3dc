import Foundation
import Testing

@testable import Store

/// The migration runner's SQL Server path, run against a connection that records what it is sent and
/// answers the journal queries like a database would. No SQL Server is involved.
@Suite struct SQLServerMigrationRunnerTests {
  /// A journal table as the recording connection pretends to hold it.
  final class Journal {
    var exists = false
    var hasChecksum = false
    var rows: [(String, String?)] = []
    var failScript: String?
  }

  static func connection(_ journal: Journal) -> RecordingConnection {
    let connection = RecordingConnection(dialect: .sqlserver)
    connection.answer = { sql, _ in
      if sql.hasPrefix("SELECT c.name FROM sys.columns") {
        guard journal.exists else { return [] }
        return (["Script", "InstallDate"] + (journal.hasChecksum ? ["Checksum"] : []))
          .map { SQLRow([.text($0)]) }
      }
      if sql.hasPrefix("SELECT Script,") {
        return journal.rows.map { SQLRow([.text($0.0), $0.1.map(SQLValue.text) ?? .null]) }
      }
      return []
    }
    connection.onExecute = { sql in
      if sql.contains("CREATE TABLE lms.MigrationJournal") { journal.exists = true }
      if sql.hasPrefix("IF COL_LENGTH(N'lms.MigrationJournal', N'Checksum') IS NULL") {
        journal.hasChecksum = true
      }
    }
    return connection
  }

  /// The calls, each on a line, a migration script shown by name rather than by its text.
  static func transcript(_ calls: [RecordingConnection.Call], _ migrations: [Migration]) -> String {
    calls.map { call in
      if call.kind == .script, let migration = migrations.first(where: { $0.sql == call.sql }) {
        return "script: <\(migration.name)>"
      }
      let parameters = call.parameters.map {
        $0.description.hasPrefix("fnv1a64:") ? "<checksum>" : $0.description
      }
      if call.sql.isEmpty { return call.kind.rawValue }
      return "\(call.kind.rawValue): \(call.sql)"
        + (parameters.isEmpty ? "" : " [\(parameters.joined(separator: ", "))]")
    }.joined(separator: "\n")
  }

  @Test func statementsAreExactly() throws {
    let journal = try MigrationJournal(.sqlserver)
    let statements = journal.statements
    #expect(
      statements.columns
        == "SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')"
    )
    #expect(
      statements.addChecksum
        == "IF COL_LENGTH(N'lms.MigrationJournal', N'Checksum') IS NULL ALTER TABLE lms.MigrationJournal ADD Checksum varchar(64) NULL"
    )
    #expect(
      statements.insert
        == "INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2)"
    )
    #expect(
      journal.readQuery(hasChecksumColumn: true)
        == "SELECT Script, Checksum FROM lms.MigrationJournal")
    #expect(
      journal.readQuery(hasChecksumColumn: false) == "SELECT Script, NULL FROM lms.MigrationJournal"
    )
    #expect(
      MigrationLock.sqlServerAcquire
        == "DECLARE @result int; EXEC @result = sp_getapplock @Resource = N'lmsds:migrations', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1; IF @result < 0 THROW 51001, N'could not take the lmsds migration lock', 1;"
    )
    #expect(
      MigrationLock.sqlServerRelease
        == "DECLARE @result int; EXEC @result = sp_releaseapplock @Resource = N'lmsds:migrations', @LockOwner = 'Session'; IF @result < 0 THROW 51002, N'could not release the lmsds migration lock', 1;"
    )
  }

  @Test func freshDatabaseRunsEveryScriptUnderTheSessionLock() throws {
    let journal = Journal()
    let connection = Self.connection(journal)
    let migrations = Migration.embedded(for: .sqlserver)
    let runner = MigrationRunner(dialect: .sqlserver)
    let report = try runner.migrate(connection)
    #expect(report.applied == migrations.map(\.name))
    let text = Self.transcript(connection.calls, migrations)
    SQLServerMergeTextTests.writeIfAsked("migration-run", text)
    #expect(text == SQLServerGolden.migrationRun)
  }

  @Test(arguments: [false, true])
  func edFiDatabaseIsAdoptedAndOnlyOurScriptsRun(legacyNames: Bool) throws {
    let journal = Journal()
    journal.exists = true
    let migrations = Migration.embedded(for: .sqlserver)
    let edFi = migrations.filter { $0.name < "1000" }
    #expect(edFi.count == 12)
    journal.rows = edFi.map { (legacyNames ? $0.legacyName! : $0.name, nil) }
    let connection = Self.connection(journal)
    let report = try MigrationRunner(dialect: .sqlserver).migrate(connection)
    #expect(report.applied == migrations.filter { $0.name > "1000" }.map(\.name))
    #expect(report.adopted.count == 12)
    let calls = connection.calls
    #expect(calls.first?.sql == MigrationLock.sqlServerAcquire)
    #expect(calls.last?.sql == MigrationLock.sqlServerRelease)
    // The Checksum column is added once, in a transaction of its own, before any script runs.
    let adds = calls.indices.filter { calls[$0].sql.hasPrefix("IF COL_LENGTH(") }
    #expect(adds.count == 1)
    if let add = adds.first {
      #expect(calls[add - 1].sql == "SELECT Script, NULL FROM lms.MigrationJournal")
      #expect(calls[add + 1].kind == .commit)
      #expect(!calls[..<add].contains { $0.kind == .script })
    }
    #expect(calls.filter { $0.kind == .script }.count == 7)
  }

  @Test func theLockIsReleasedWhenAScriptFails() throws {
    let journal = Journal()
    let connection = Self.connection(journal)
    let broken = Migration(name: "1001_broken", sql: "SELECT 1")
    let first = try #require(Migration.embedded(for: .sqlserver).first)
    connection.onExecute = { sql in
      if sql.contains("CREATE TABLE lms.MigrationJournal") { journal.exists = true }
      if sql.hasPrefix("IF COL_LENGTH(") { journal.hasChecksum = true }
    }
    final class Failing: SQLConnection {
      let inner: RecordingConnection
      init(_ inner: RecordingConnection) { self.inner = inner }
      var dialect: SQLDialect { inner.dialect }
      func executeScript(_ sql: String) throws {
        try inner.executeScript(sql)
        if sql == "SELECT 1" { throw DatabaseError(.statement, "Incorrect syntax") }
      }
      func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
        try inner.execute(sql, parameters)
      }
      func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
        try inner.query(sql, parameters)
      }
      func makeBulkWriter(table: String, columns: [String]) throws -> any BulkRowWriter {
        try inner.makeBulkWriter(table: table, columns: columns)
      }
      func begin() throws { try inner.begin() }
      func commit() throws { try inner.commit() }
      func rollback() throws { try inner.rollback() }
    }
    let runner = MigrationRunner(migrations: [first, broken])
    #expect(throws: MigrationError.self) { try runner.migrate(Failing(connection)) }
    let calls = connection.calls
    #expect(calls.last?.sql == MigrationLock.sqlServerRelease)
    #expect(calls.dropLast().last?.kind == .rollback)
  }
}
