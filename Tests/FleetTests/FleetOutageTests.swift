import Foundation
import Testing

/// PostgreSQL stopped for a while in the middle of a run, then started: the workers wait and
/// retry; nothing is lost, nothing skipped, nothing applied twice.
@Suite(
  .serialized, .timeLimit(.minutes(3)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetOutageTests {
  @Test func aDatabaseOutageLosesAndSkipsNothing() async throws {
    let scenario = try FleetScenario(providers: ["canvas", "schoology", "moodle"])
    try scenario.buildDaysWithReference()
    let total = scenario.fileCount
    let slow = ["--test-delay-per-file-ms", "60"]
    let workers = [try scenario.startWorker(extra: slow), try scenario.startWorker(extra: slow)]
    // The first days, then the outage in the middle of them, then the rest while the database is
    // away: the workers have messages to apply while it is down, whatever the machine's speed.
    try await scenario.publishDays(0..<2)
    let firstDays = scenario.dayFiles[0..<2].reduce(0) { $0 + $1.count }
    let started = try eventually(timeout: .seconds(60)) {
      ((try? LedgerView(url: scenario.fleetURL))?.settledFiles ?? 0) >= firstDays / 3
    }
    #expect(started, "\(scenario.processes.logTails)")
    try scenario.postgres.stop()
    try await scenario.publishDays(2..<scenario.dayFiles.count)
    // The outage itself: the workers must notice it and keep retrying.
    let noticed = eventually(timeout: .seconds(20)) {
      workers.contains { $0.log.contains("database unavailable") }
    }
    #expect(noticed, "\(scenario.processes.logTails)")
    try await Task.sleep(for: .seconds(2))
    let allRunning = workers.allSatisfy { $0.isRunning }
    #expect(allRunning, "a worker died during the outage: \(scenario.processes.logTails)")
    try scenario.postgres.start()

    #expect(try scenario.waitForSettled(total), "\(scenario.processes.logTails)")
    for status in scenario.stopWorkers() { #expect(status == 0, "\(scenario.processes.logTails)") }
    try scenario.expectSameAsReference()
    try scenario.expectLedgerOrder()
  }
}
