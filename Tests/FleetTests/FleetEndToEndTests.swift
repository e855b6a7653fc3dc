import Foundation
import Testing

/// Real processes: Tansu, PostgreSQL, several `lmsds work`. See scripts/test.sh.
@Suite(
  .serialized, .timeLimit(.minutes(3)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetEndToEndTests {
  /// Three providers, every day of the sample produced day by day by `lmsds produce` processes,
  /// two workers: the database ends equal to what `lmsds load` builds from the same trees, and
  /// each ledger is in order.
  @Test func twoWorkersEndWhereTheEmbeddedLoadEnds() async throws {
    let scenario = try FleetScenario(providers: ["canvas", "schoology", "moodle"])
    try scenario.buildDaysWithReference()
    let first = try scenario.startWorker(idle: 8, sources: scenario.liveTree.root)
    let second = try scenario.startWorker(idle: 8, sources: scenario.liveTree.root)
    try scenario.produceDays()
    let settled = try scenario.waitForSettled(scenario.fileCount)
    #expect(settled, "fleet did not apply every file: \(scenario.processes.logTails)")
    // --exit-when-idle: both leave by themselves, with status 0.
    #expect(first.waitForExit(timeout: .seconds(30)) == 0, "\(first.log.suffix(2000))")
    #expect(second.waitForExit(timeout: .seconds(30)) == 0, "\(second.log.suffix(2000))")
    try scenario.expectSameAsReference()
    try scenario.expectLedgerOrder()
    // Every line about a file names its provider, resource and path.
    let fileLines = (first.log + second.log).split(separator: "\n").filter {
      $0.contains("file loaded")
    }
    #expect(!fileLines.isEmpty)
    #expect(
      fileLines.allSatisfy {
        $0.contains("provider=") && $0.contains("resource=") && $0.contains("path=")
      })
  }
}
