import ExtractorTree
import Foundation
import LMSDSTestSupport
import Logging
import Messages
import Store
import Testing
import Worker

/// The full sample load on a real SQL Server, when one is given: `LMSDS_TEST_MSSQL` holds an ODBC
/// connection string to an EMPTY database the test may migrate (`Driver={ODBC Driver 18 for SQL
/// Server};Server=…;Database=…;UID=…;PWD=…;TrustServerCertificate=yes`). No SQL Server runs on our
/// build machines, so in CI this suite is reported as not run; it is never counted as passing.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LMSDS_TEST_MSSQL"] != nil))
struct SQLServerLiveTests {
  @Test func sampleScenarioLoadsOnSQLServer() throws {
    let text = try #require(ProcessInfo.processInfo.environment["LMSDS_TEST_MSSQL"])
    let connection = try DatabaseConnector.open(.odbc(connectionString: text))
    #expect(connection.dialect == .sqlserver)
    try MigrationRunner(dialect: .sqlserver).migrate(connection)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let summary = try EmbeddedLoad(
      connection: connection, logger: logger, options: ApplyOptions(), settleSeconds: 0
    ).run([SourceRoot(provider: "BestLMS", path: sampleRoot)])
    #expect(summary.count(.loaded) + summary.alreadyInLedger == 21)
    #expect(summary.count(.rejected) == 0)
    func count(_ table: String, _ condition: String = "1 = 1") throws -> Int64? {
      try connection.scalar("SELECT COUNT(*) FROM lms.[\(table)] WHERE \(condition)")?.int
    }
    #expect(try count("LMSUser") == 13)
    #expect(try count("LMSSection", "DeletedAt IS NULL") == 4)
    #expect(try count("Assignment", "DeletedAt IS NOT NULL") == 1)
    #expect(try count("AssignmentSubmission") == 8)
    #expect(try count("LMSGrade") == 8)
  }
}
