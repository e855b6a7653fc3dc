import Foundation
import Kafka
import LMSDSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The broker loses every message after `lmsds produce` published a night and before any worker
/// read it. The cron's next plain `lmsds produce` publishes those files again, and a worker then
/// ends where `lmsds load` ends, each file applied once.
@Suite(
  .serialized, .timeLimit(.minutes(5)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS, LMSDS_TANSU_BINARY and PostgreSQL (scripts/test.sh)"))
struct BrokerLossTests {
  @Test func theNextPlainProduceRepublishesWhatAnEmptyBrokerLost() throws {
    _ = try FleetEnvironment.require()
    let binary = try #require(
      FleetEnvironment.environment["LMSDS_TANSU_BINARY"], "run through scripts/test.sh")
    let processes = try ProcessGroup()
    let broker = try PrivateTansu(binary: binary, logDirectory: processes.logDirectory)
    let postgres = try PrivatePostgres()
    let fleetURL = try postgres.createDatabase("fleet")
    let referenceURL = try postgres.createDatabase("reference")
    let tree = try FleetTree(providers: ["canvas", "schoology", "moodle"])
    for day in tree.days.indices { try tree.addDay(day) }
    let fileCount = try tree.newFiles().count

    let (loadStatus, loadLog) = try processes.runToEnd(
      "load", ["load", "--sources", tree.root, "--database", referenceURL, "--settle-seconds", "0"])
    #expect(loadStatus == 0 || loadStatus == 3, "\(loadLog)")

    // What cron runs, with the defaults an operator gets.
    let produce = [
      "produce", "--sources", tree.root, "--brokers", broker.address, "--database", fleetURL,
      "--settle-seconds", "0", "--summary-format", "json",
    ]
    let (firstStatus, firstLog) = try processes.runToEnd("produce-before", produce)
    #expect(firstStatus == 0, "\(firstLog)")
    #expect(try LedgerView(url: fleetURL).entries.count == fileCount)

    try broker.restartEmpty()
    let lost = ContinuousClock.now

    let (status, log) = try processes.runToEnd("produce-after", produce)
    let produced = ContinuousClock.now
    #expect(status == 0, "\(log)")
    let summary = try #require(try jsonSummary(log), "\(log)")
    #expect(summary["published"] as? Int == fileCount, "\(log)")
    let reasons = summary["lost_in_topic"] as? [String: Any]
    #expect(reasons?.count == 1 && reasons?["past_end"] as? Int == fileCount, "\(log)")
    #expect(log.contains("publishing them again"), "\(log)")

    let worker = try processes.start(
      "worker",
      [
        "work", "--sources", tree.root, "--brokers", broker.address, "--database", fleetURL,
        "--exit-when-idle", "5",
      ])
    let applied = eventually(timeout: .seconds(120)) {
      ((try? LedgerView(url: fleetURL))?.settledFiles ?? 0) >= fileCount
    }
    let settled = ContinuousClock.now
    #expect(applied, "\(processes.logTails)")
    let workerStatus = worker.waitForExit(timeout: .seconds(60))
    #expect(workerStatus == 0 || workerStatus == 3, "\(worker.log.suffix(3000))")
    print(
      "broker loss repaired: \(fileCount) files; produce \(seconds(produced - lost)) s, "
        + "all applied \(seconds(settled - lost)) s after the loss")

    let ledger = try LedgerView(url: fleetURL)
    #expect(ledger.settledFiles == fileCount)
    #expect(ledger.loadedTwice.isEmpty, "loaded twice: \(ledger.loadedTwice)")
    #expect(
      !ledger.entries.contains { $0.outcome == .duplicate },
      "the old messages were gone: nothing should arrive twice")
    let difference = try DatabaseSnapshot(url: fleetURL).difference(
      from: DatabaseSnapshot(url: referenceURL))
    #expect(difference == nil)

    // Repaired once: the republished rows name offsets the new broker holds.
    let (againStatus, againLog) = try processes.runToEnd("produce-again", produce)
    #expect(againStatus == 0, "\(againLog)")
    #expect(try jsonSummary(againLog)?["published"] as? Int == 0, "\(againLog)")
  }

  /// What the issue saw: after the loss, workers find an empty topic and go idle. They now say that
  /// the ledger still waits for files, and what repairs it.
  @Test func workersOnAnEmptiedTopicWarnThatPublishedFilesWait() throws {
    _ = try FleetEnvironment.require()
    let binary = try #require(
      FleetEnvironment.environment["LMSDS_TANSU_BINARY"], "run through scripts/test.sh")
    let processes = try ProcessGroup()
    let broker = try PrivateTansu(binary: binary, logDirectory: processes.logDirectory)
    let postgres = try PrivatePostgres()
    let fleetURL = try postgres.createDatabase("fleet")
    let tree = try FleetTree(providers: ["canvas"])
    try tree.addDay(0)
    let fileCount = try tree.newFiles().count
    let (status, log) = try processes.runToEnd(
      "produce",
      [
        "produce", "--sources", tree.root, "--brokers", broker.address, "--database", fleetURL,
        "--settle-seconds", "0",
      ])
    #expect(status == 0, "\(log)")
    try broker.restartEmpty()
    // The topic as an operator recreates it; the worker would wait for it otherwise.
    let admin = try KafkaAdmin(configuration: FleetKafka.configuration(broker.address))
    defer { admin.close() }
    try admin.createTopic("lms.files", partitions: 12)
    Thread.sleep(forTimeInterval: 1.5)

    let worker = try processes.start(
      "worker",
      [
        "work", "--sources", tree.root, "--brokers", broker.address, "--database", fleetURL,
        "--exit-when-idle", "3", "--unapplied-after", "1",
      ])
    let workerStatus = worker.waitForExit(timeout: .seconds(60))
    #expect(workerStatus == 0, "\(worker.log.suffix(3000))")
    let warning = worker.log.split(separator: "\n").first {
      $0.contains(
        "published files still have no outcome; if the broker lost them, run lmsds produce")
    }
    #expect(warning?.contains("files=\(fileCount)") == true, "\(worker.log.suffix(3000))")
  }

  private func jsonSummary(_ log: String) throws -> [String: Any]? {
    guard let line = log.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
      return nil
    }
    return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
  }

  private func seconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    return String(format: "%.1f", value)
  }
}
