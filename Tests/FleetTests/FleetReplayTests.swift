import ExtractorTree
import Foundation
import Producer
import Store
import Testing

/// `lmsds replay` as a process, while two workers run: two providers share the topic (and its one
/// partition), both produced day by day by `lmsds produce`. A plain replay of one provider comes
/// out `duplicate` and changes nothing; a forced one re-applies its files in order and ends where
/// it started (load-semantics.md §8); the other provider's ledger never moves.
@Suite(
  .serialized, .timeLimit(.minutes(3)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetReplayTests {
  @Test func replayingAProviderEndsWhereItStartedAndLeavesTheOtherAlone() async throws {
    let replayed = "canvas"
    let other = "schoology"
    let scenario = try FleetScenario(providers: [replayed, other], partitions: 1)
    try scenario.buildDaysWithReference()
    try scenario.startWorker(sources: scenario.liveTree.root)
    try scenario.startWorker(sources: scenario.liveTree.root)
    try scenario.produceDays()
    #expect(try scenario.waitForSettled(scenario.fileCount), "\(scenario.processes.logTails)")
    try scenario.expectSameAsReference()

    let before = try DatabaseSnapshot(url: scenario.fleetURL)
    let beforeDeletedAt = try RawDeletedAt(url: scenario.fleetURL)
    let ledgerBefore = try LedgerView(url: scenario.fleetURL).entries
    let otherBefore = ledgerBefore.filter { $0.provider.rawValue == other }
    let fileCount = scenario.produced.filter { $0.provider.rawValue == replayed }.count
    #expect(
      ledgerBefore.filter { $0.provider.rawValue == replayed && $0.outcome == .loaded }.count
        == fileCount,
      "every file of \(replayed) loaded once before the replay")
    // Replay republishes in load-semantics §3 order, the order one scan finding every file gives
    // (ReplayPlanner), not the day-by-day order the files first arrived in.
    let applyOrder = try SourceScanner(settleSeconds: 0).scan(scenario.liveTree.roots).files
      .filter { $0.provider.rawValue == replayed }.map(\.relativePath)
    #expect(applyOrder.count == fileCount)

    // Not forced: every republished file is a duplicate, nothing changes.
    try runReplay(scenario, replayed, force: false, expecting: fileCount)
    let duplicates = try waitForReplayRows(
      scenario, replayed, outcome: .duplicate, count: fileCount)
    #expect(duplicates.map(\.relativePath) == applyOrder, "\(scenario.processes.logTails)")
    #expect(try DatabaseSnapshot(url: scenario.fleetURL).difference(from: before) == nil)
    #expect(
      try RawDeletedAt(url: scenario.fleetURL) == beforeDeletedAt,
      "a plain replay must change nothing")
    #expect(
      try LedgerView(url: scenario.fleetURL).entries.filter {
        $0.provider.rawValue == replayed && $0.outcome == .loaded
      }.count == fileCount)

    // Forced: every file loaded again, in the apply order; the newest snapshots decide again.
    try runReplay(scenario, replayed, force: true, expecting: fileCount)
    let reloaded = try waitForReplayRows(scenario, replayed, outcome: .loaded, count: fileCount)
    #expect(reloaded.map(\.relativePath) == applyOrder, "\(scenario.processes.logTails)")
    // Rows an older snapshot briefly restored were deleted again by the newest: their DeletedAt
    // (and what the older snapshot wrote into them) changed, their deleted-ness did not. Every
    // other row is exactly as before.
    let after = try DatabaseSnapshot(url: scenario.fleetURL)
    let afterDeletedAt = try RawDeletedAt(url: scenario.fleetURL)
    let restored = afterDeletedAt.changed(from: beforeDeletedAt)
    // The sample has some: an attendance event the 09-17 file holds and the 09-18 file drops.
    #expect(!restored.isEmpty, "no row was briefly restored: the exception is not exercised")
    #expect(restored.allSatisfy { $0.system == FleetTree.sourceSystem(replayed) }, "\(restored)")
    #expect(
      restored.allSatisfy { beforeDeletedAt.isDeleted($0) && afterDeletedAt.isDeleted($0) },
      "\(restored)")
    #expect(afterDeletedAt.deletedness == beforeDeletedAt.deletedness)
    #expect(after.tables["LMSUser"]?.isEmpty == false)
    #expect(
      after.removing(restored).difference(from: before.removing(restored)) == nil,
      "a forced replay must end where it started")

    let ledgerAfter = try LedgerView(url: scenario.fleetURL).entries
    #expect(
      ledgerAfter.filter { $0.provider.rawValue == other } == otherBefore, "\(other)'s ledger moved"
    )
    // The rows from before are untouched; the replay only added rows, all marked replay.
    #expect(Array(ledgerAfter.filter { !$0.replay }) == ledgerBefore)
    let added = ledgerAfter.filter(\.replay)
    #expect(added.allSatisfy { $0.provider.rawValue == replayed })
    #expect(Set(added.map(\.outcome)) == [.published, .duplicate, .loaded])
    #expect(added.filter { $0.outcome == .published }.count == 2 * fileCount)

    for status in scenario.stopWorkers() { #expect(status == 0, "\(scenario.processes.logTails)") }
  }

  /// Runs `lmsds replay` to its end; it must republish every file of the provider.
  private func runReplay(
    _ scenario: FleetScenario, _ provider: String, force: Bool, expecting count: Int
  ) throws {
    var arguments = [
      "replay", "--provider", provider, "--brokers", scenario.brokers, "--topic",
      scenario.topic.rawValue,
      "--database", scenario.fleetURL, "--log-level", "warning", "--kafka-option", "log_level=3",
    ]
    if force { arguments.append("--force") }
    let (status, log) = try scenario.processes.runToEnd(
      "replay-\(provider)\(force ? "-forced" : "")", arguments)
    #expect(status == 0, "lmsds replay: \(log)")
    let republished = log.split(separator: "\n").first {
      $0.contains("republished") && !$0.contains("replayed")
    }
    #expect(republished?.split(separator: " ").last.map(String.init) == String(count), "\(log)")
  }

  /// Waits (bounded) until the ledger holds `count` replay rows of that outcome for the provider.
  private func waitForReplayRows(
    _ scenario: FleetScenario, _ provider: String, outcome: FileOutcome, count: Int
  ) throws -> [LedgerEntry] {
    var rows: [LedgerEntry] = []
    let reached = eventually(timeout: .seconds(60)) {
      rows = ((try? LedgerView(url: scenario.fleetURL))?.entries ?? []).filter {
        $0.provider.rawValue == provider && $0.replay && $0.outcome == outcome
      }
      return rows.count >= count
    }
    #expect(
      reached, "\(rows.count) of \(count) replayed files \(outcome): \(scenario.processes.logTails)"
    )
    return rows
  }
}

/// One row of an LMS table, by its natural key.
private struct RowKey: Hashable, CustomStringConvertible {
  var table: String
  var system: String
  var key: String
  var description: String { "\(table)/\(system)/\(key)" }
}

/// Every LMS row's `DeletedAt` as stored (not reduced to deleted-or-not), by table and natural key.
private struct RawDeletedAt: Equatable {
  var rows: [RowKey: String?] = [:]

  init(url: String) throws {
    let connection = try DatabaseConnector.open(try DatabaseLocation(url: url))
    for (table, identifier) in DatabaseSnapshot.tables where identifier != nil {
      for row in try connection.query(
        "SELECT SourceSystem, SourceSystemIdentifier, DeletedAt FROM lms.\(table)")
      {
        rows[RowKey(table: table, system: row.text(0) ?? "", key: row.text(1) ?? "")] = .some(
          row.text(2))
      }
    }
  }

  func isDeleted(_ key: RowKey) -> Bool { (rows[key] ?? nil) != nil }

  var deletedness: [RowKey: Bool] { rows.mapValues { $0 != nil } }

  /// Rows whose DeletedAt differs from `other`'s (or that only one side holds).
  func changed(from other: RawDeletedAt) -> Set<RowKey> {
    Set(Set(rows.keys).union(other.rows.keys).filter { rows[$0] != other.rows[$0] })
  }
}

extension DatabaseSnapshot {
  /// The snapshot without those rows.
  fileprivate func removing(_ keys: Set<RowKey>) -> DatabaseSnapshot {
    var copy = self
    for key in keys {
      copy.tables[key.table] = copy.tables[key.table]?.filter {
        !($0.contains("sourcesystemidentifier=\(key.key)|")
          && $0.contains("|sourcesystem=\(key.system)|"))
      }
    }
    return copy
  }
}
