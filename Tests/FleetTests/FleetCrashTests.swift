import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Workers killed with SIGKILL in the middle of applying files, at several points: the survivors
/// take the partitions over, the final database is identical, and no file is loaded twice.
@Suite(
  .serialized, .timeLimit(.minutes(3)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetCrashTests {
  @Test func killedWorkersLoseNothingAndApplyNothingTwice() async throws {
    let scenario = try FleetScenario(providers: ["canvas", "schoology", "moodle"])
    try scenario.buildDaysWithReference()
    let total = scenario.fileCount
    // Each file holds its transaction open a while, so a kill lands inside one.
    let slow = ["--test-delay-per-file-ms", "120"]
    try scenario.startWorker(extra: slow)
    try scenario.startWorker(extra: slow)
    try await scenario.publishDays()

    for (round, point) in [total / 6, total / 2, (total * 5) / 6].enumerated() {
      let reached = try eventually(timeout: .seconds(60)) {
        ((try? LedgerView(url: scenario.fleetURL))?.settledFiles ?? 0) >= point
      }
      #expect(reached, "round \(round): \(scenario.processes.logTails)")
      // Kill the worker that applied the newest ledger row: it is the one busy right now.
      let newest = try LedgerView(url: scenario.fleetURL).entries.last?.appliedBy ?? ""
      let running = scenario.processes.processes.filter {
        $0.isRunning && $0.name.hasPrefix("worker")
      }
      let victim = running.first { newest.hasSuffix("/\($0.pid)") } ?? running.first!
      victim.signal(SIGKILL)
      #expect(victim.waitForExit(timeout: .seconds(10)) == 128 + SIGKILL)
      try scenario.startWorker(extra: slow)
    }

    #expect(try scenario.waitForSettled(total), "\(scenario.processes.logTails)")
    for status in scenario.stopWorkers() { #expect(status == 0, "\(scenario.processes.logTails)") }
    try scenario.expectSameAsReference()
    try scenario.expectLedgerOrder()
  }
}
