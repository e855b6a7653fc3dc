import Foundation
import LMSDSTestSupport
import Testing

@testable import Store

/// Every SQL Server statement we generate and every Migrations/sqlserver script, read by a real T-SQL
/// parser (sqlglot, dialect "tsql") through scripts/tsql-parse.py, which also rejects the PostgreSQL
/// forms sqlglot would let through. Skipped when no python3 with sqlglot is found, except under CI
/// (env CI set), where that is a failure: scripts/test.sh installs sqlglot in .tools/venv.
@Suite struct SQLServerParseTests {
  static func parse(_ chunks: [String]) throws {
    guard let python = SQLServerTestSupport.pythonWithSQLGlot() else {
      if ProcessInfo.processInfo.environment["CI"] != nil {
        Issue.record("CI is set but no python3 with sqlglot was found: run scripts/test.sh")
      }
      return
    }
    let script = repositoryRoot.appendingPathComponent("scripts/tsql-parse.py")
      .path
    let result = try PipedCommand.run(
      python.split(separator: " ").map(String.init) + [script],
      input: chunks.joined(separator: "\n-- statement\n"), in: repositoryRoot)
    #expect(result.status == 0, "\(result.output)")
  }

  @Test(arguments: SQLServerTestSupport.layouts.map(\.name))
  func mergeStatementsParse(name: String) throws {
    let layout = try #require(SQLServerTestSupport.layouts.first { $0.name == name }?.layout)
    try Self.parse([SQLServerTestSupport.render(layout)])
  }

  @Test func ledgerLockAndJournalStatementsParse() throws {
    let journal = try MigrationJournal(.sqlserver)
    let provider = try #require(ProviderLock.statement(for: "canvas", dialect: .sqlserver))
    try Self.parse(
      try SQLServerTestSupport.ledgerStatements().map(\.sql) + [
        provider.sql, MigrationLock.sqlServerAcquire, MigrationLock.sqlServerRelease,
        journal.statements.columns, journal.statements.addChecksum, journal.statements.insert,
        journal.readQuery(hasChecksumColumn: true),
      ])
  }

  @Test(arguments: SQLServerTestSupport.migrationScripts.map(\.name))
  func migrationScriptParses(name: String) throws {
    let script = try #require(SQLServerTestSupport.migrationScripts.first { $0.name == name })
    try Self.parse([script.sql])
  }

  /// The checker itself: text SQL Server refuses must fail, so a pass above means something.
  @Test(arguments: [
    "SELECT a FROM t WHERE a IS DISTINCT FROM b",
    "UPDATE lms.[T] AS t SET a = 1",
    "CREATE TEMPORARY TABLE IF NOT EXISTS x (a int)",
    "SELECT a FROM t LIMIT 1",
    "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM s) THEN 1 ELSE 0 END) FROM t",
    "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO NOTHING",
    "ALTER TABLE lms.T ADDD c int",
  ])
  func theCheckerRejects(sql: String) throws {
    guard let python = SQLServerTestSupport.pythonWithSQLGlot() else {
      if ProcessInfo.processInfo.environment["CI"] != nil {
        Issue.record("no python3 with sqlglot")
      }
      return
    }
    let script = repositoryRoot.appendingPathComponent("scripts/tsql-parse.py")
      .path
    let result = try PipedCommand.run(
      python.split(separator: " ").map(String.init) + [script], input: sql, in: repositoryRoot)
    #expect(result.status == 1, "\(result.output)")
  }
}
