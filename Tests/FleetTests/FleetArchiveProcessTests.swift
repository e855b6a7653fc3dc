import Foundation
import LMSDSTestSupport
import Store
import Testing

/// `--archive` through the fleet, as processes: `produce` archives before it publishes, a worker
/// applies the archived bytes of messages whose root files were rewritten or removed meanwhile,
/// and after the extractor root is emptied a forced `replay` restores the same database.
@Suite(
  .serialized, .timeLimit(.minutes(3)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetArchiveProcessTests {
  @Test func workersApplyArchivedBytesAfterTheRootRotatedAndAForcedReplayRestoresTheDatabase()
    throws
  {
    let provider = "canvas"
    let scenario = try FleetScenario(providers: [provider], partitions: 1)
    let scratch = try ScratchDirectory(prefix: "fleet-archive")
    let archive = scratch.path + "/archive"
    scenario.archive = archive
    try scenario.buildDaysWithReference()
    // Every file published before any worker runs, then the extractor rewrites one and rotates
    // another away: without the archive, both would fail verification and be rejected.
    try scenario.produceDays()
    let users = scenario.produced.filter { $0.relativePath.hasPrefix("users/") }
    #expect(users.count >= 2)
    try scenario.liveTree.write(provider, users[0].relativePath, "rewritten by the extractor\n")
    try FileManager.default.removeItem(atPath: users[1].absolutePath)

    let workerArguments = ["--archive", archive]
    try scenario.startWorker(sources: scenario.liveTree.root, extra: workerArguments)
    #expect(try scenario.waitForSettled(scenario.fileCount), "\(scenario.processes.logTails)")
    try scenario.expectSameAsReference()
    let before = try DatabaseSnapshot(url: scenario.fleetURL)
    let ledger = try LedgerView(url: scenario.fleetURL).entries
    #expect(
      !ledger.contains { $0.outcome == .rejected }, "\(ledger.filter { $0.outcome == .rejected })")

    // The root rotates away entirely; the provider's directory stays, empty.
    let root = scenario.liveTree.path(provider)
    try FileManager.default.removeItem(atPath: root)
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    let (status, log) = try scenario.processes.runToEnd(
      "replay-forced",
      [
        "replay", "--provider", provider, "--force", "--brokers", scenario.brokers, "--topic",
        scenario.topic.rawValue, "--database", scenario.fleetURL, "--archive", archive,
        "--log-level", "warning", "--kafka-option", "log_level=3",
      ])
    #expect(status == 0, "lmsds replay: \(log)")
    let fileCount = scenario.fileCount
    var replayed: [LedgerEntry] = []
    let reached = eventually(timeout: .seconds(60)) {
      replayed = ((try? LedgerView(url: scenario.fleetURL))?.entries ?? []).filter {
        $0.replay && $0.outcome != .published
      }
      return replayed.count >= fileCount
    }
    #expect(reached, "\(replayed.count) of \(fileCount): \(scenario.processes.logTails)")
    #expect(replayed.allSatisfy { $0.outcome == .loaded }, "\(replayed.map(\.outcome))")
    // load-semantics §8: the same state, except what older snapshots wrote into rows they
    // briefly restored, which stay deleted (FleetReplayTests pins that exception row by row).
    let after = try DatabaseSnapshot(url: scenario.fleetURL)
    #expect(Self.live(after).difference(from: Self.live(before)) == nil)
    #expect(Self.deletedCounts(after) == Self.deletedCounts(before))
    for status in scenario.stopWorkers() { #expect(status == 0, "\(scenario.processes.logTails)") }
  }

  static func live(_ snapshot: DatabaseSnapshot) -> DatabaseSnapshot {
    var copy = snapshot
    for (table, rows) in copy.tables {
      copy.tables[table] = rows.filter { !$0.contains("|deleted=true|") }
    }
    return copy
  }

  static func deletedCounts(_ snapshot: DatabaseSnapshot) -> [String: Int] {
    snapshot.tables.mapValues { $0.filter { $0.contains("|deleted=true|") }.count }
  }
}
