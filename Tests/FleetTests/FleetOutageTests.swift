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
  /// The database is down when the worker starts (a host reboot brings workers up first): the
  /// worker waits with backoff instead of exiting 1, then applies everything once it is up.
  @Test func aWorkerStartedBeforeItsDatabaseWaitsForIt() async throws {
    let scenario = try FleetScenario(providers: ["canvas"], partitions: 2)
    try scenario.buildDaysWithReference(0..<2)
    try await scenario.publishDays()
    try scenario.postgres.stop()
    let worker = try scenario.startWorker(idle: 4)
    let waiting = eventually(timeout: .seconds(30)) {
      worker.log.contains("database unreachable at start; retrying")
    }
    #expect(waiting, "\(worker.log)")
    // Several attempts, and still running: it does not give up after the first refusal.
    let retried = eventually(timeout: .seconds(30)) {
      worker.log.components(separatedBy: "database unreachable at start").count > 3
    }
    #expect(retried && worker.isRunning, "\(worker.log)")
    try scenario.postgres.start()

    let status = worker.waitForExit(timeout: .seconds(90))
    #expect(status == 0 || status == 3, "\(worker.log)")
    #expect(try scenario.waitForSettled(scenario.fileCount, timeout: .seconds(5)))
    try scenario.expectSameAsReference()
  }

  /// The wait is bounded: with the database never there, `--database-wait` ends it with status 1.
  @Test func theStartUpWaitForTheDatabaseIsBounded() async throws {
    let scenario = try FleetScenario(providers: ["canvas"], partitions: 1)
    try scenario.postgres.stop()
    let started = ContinuousClock.now
    let worker = try scenario.startWorker(idle: 4, extra: ["--database-wait", "2"])
    #expect(worker.waitForExit(timeout: .seconds(30)) == 1, "\(worker.log)")
    #expect(ContinuousClock.now - started >= .seconds(2), "\(worker.log)")
    #expect(worker.log.contains("database unreachable at start; retrying"), "\(worker.log)")
  }
}
