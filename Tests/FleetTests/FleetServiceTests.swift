import Foundation
import LMSDSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A worker as operators run it: its HTTP endpoint (health, metrics, ledger pages), its JSON
/// logs, and SIGTERM in the middle of a load.
@Suite(
  .serialized, .timeLimit(.minutes(4)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetServiceTests {
  @Test func aWorkerAnswersHealthAndMetricsAndItsCountersFollowTheLedger() async throws {
    let scenario = try FleetScenario(providers: ["canvas", "schoology"])
    try scenario.buildDaysWithReference()
    // A file the worker rejects (a repeated column), to see that counter move too.
    try scenario.tree.write(
      "canvas", "users/2030-01-01-00-00-00.csv",
      "SourceSystemIdentifier,SourceSystemIdentifier\n1,2\n")
    let worker = try scenario.startWorker(
      extra: ["--http-port", "0", "--log-format", "json", "--log-level", "debug"])
    let client = try StatusClient.discover(worker)

    #expect(try await client.get("/livez") == (200, "ok\n"))
    let ready = try await eventuallyAsync(timeout: .seconds(60)) {
      try await client.get("/readyz").status == 200
    }
    #expect(ready, "\(scenario.processes.logTails)")
    #expect(try await client.metric("lmsds_files_applied_total") == 0)

    try await scenario.publishDays()
    try await scenario.publisher.publish(try scenario.tree.newFiles())
    let total = scenario.fileCount + 1
    #expect(try scenario.waitForSettled(total), "\(scenario.processes.logTails)")

    let ledger = try LedgerView(url: scenario.fleetURL)
    let loaded = ledger.entries.filter { $0.outcome == .loaded }
    // The counters move once the commit is done: give the loop a moment to take the outcome in.
    let caughtUp = try await eventuallyAsync(timeout: .seconds(10)) {
      try await client.metric("lmsds_files_applied_total") == Double(loaded.count)
    }
    #expect(caughtUp)
    for provider in scenario.tree.providers {
      let ofProvider = loaded.filter { $0.provider.rawValue == provider }
      #expect(
        try await client.metric("lmsds_files_applied_total", ["provider": provider])
          == Double(ofProvider.count))
      #expect(
        try await client.metric("lmsds_rows_inserted_total", ["provider": provider])
          == Double(ofProvider.reduce(0) { $0 + $1.counts.inserted }))
      #expect(
        try await client.metric("lmsds_rows_soft_deleted_total", ["provider": provider])
          == Double(ofProvider.reduce(0) { $0 + $1.counts.softDeleted }))
      #expect(
        try await client.metric("lmsds_last_applied_file_timestamp_seconds", ["provider": provider])
          > 1_600_000_000)
    }
    #expect(
      try await client.metric(
        "lmsds_files_rejected_total", ["provider": "canvas", "resource": "users"]) == 1)
    #expect(
      try await client.metric("lmsds_file_apply_duration_seconds_count") == Double(loaded.count))
    #expect(try await client.metric("lmsds_files_in_flight") == 0)

    // The live scrape passes Prometheus' lint: help text on every metric, build and process
    // metrics beside ours.
    let scrape = try await client.get("/metrics").body
    let scrapeLines = scrape.split(separator: "\n")
    for (index, line) in scrapeLines.enumerated() where line.hasPrefix("# TYPE ") {
      let name = line.split(separator: " ")[2]
      #expect(index > 0 && scrapeLines[index - 1].hasPrefix("# HELP \(name) "), "\(line)")
    }
    #expect(scrape.contains("lmsds_build_info{version=\""))
    #expect(scrape.contains("\nprocess_resident_memory_bytes "))
    if let report = try PromtoolCheck.run(scrape) { #expect(report.isEmpty, "\(report)") }

    // The ledger pages on the same port.
    let (status, page) = try await client.get("/")
    #expect(status == 200)
    #expect(page.contains("canvas") && page.contains("schoology"))

    worker.signal(SIGTERM)
    #expect(worker.waitForExit(timeout: .seconds(30)) == 3, "\(worker.log)")

    // Every JSON log line about a file names its provider, resource and path.
    let lines = worker.log.split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String]
    }
    let aboutFiles = lines.filter { $0["path"] != nil }
    #expect(aboutFiles.count >= total)
    for line in aboutFiles {
      #expect(line["provider"]?.isEmpty == false, "\(line)")
      #expect(line["resource"]?.isEmpty == false, "\(line)")
    }
    #expect(lines.contains { $0["message"] == "file loaded" })
  }

  /// SIGTERM while a large file is applied, with time to finish it: the worker finishes and
  /// commits that file, then exits 0; the next worker applies the rest, once each.
  @Test func sigtermFinishesTheFileInFlightThenTheNextWorkerContinues() async throws {
    let setup = try LargeFileSetup(rows: 150_000)
    let worker = try setup.scenario.startWorker(
      extra: ["--http-port", "0", "--shutdown-timeout", "120"])
    let client = try StatusClient.discover(worker)
    try await setup.publishBigFile()
    #expect(try await setup.waitForTransaction(client), "\(setup.scenario.processes.logTails)")
    try await setup.publishRest()
    let signalled = ContinuousClock.now
    worker.signal(SIGTERM)
    let status = worker.waitForExit(timeout: .seconds(125))
    #expect(status == 0, "\(worker.log)")
    #expect(ContinuousClock.now - signalled < .seconds(125))

    // The file in flight was finished: wholly there, with its ledger row.
    let ledger = try LedgerView(url: setup.scenario.fleetURL)
    let big = ledger.entries.filter { $0.relativePath == setup.bigPath }
    #expect(big.map(\.outcome) == [.loaded])
    #expect(big.first?.counts.inserted == setup.rows)
    #expect(try setup.usersOfBigFile() == setup.rows)
    #expect(ledger.entries.count < setup.fileCount, "the stop left files for the next worker")

    try setup.finishWithNextWorker()
  }

  /// SIGTERM with a shutdown timeout shorter than the file: the running statement is cancelled,
  /// the transaction rolled back, and the worker leaves the group and exits 0 well inside the
  /// timeout + grace; nothing of the file is in the database, and the next worker applies it.
  @Test func sigtermPastTheTimeoutLeavesTheFileInFlightWhollyUnapplied() async throws {
    let setup = try LargeFileSetup(rows: 300_000)
    let worker = try setup.scenario.startWorker(
      extra: [
        "--http-port", "0", "--shutdown-timeout", "0.2", "--abandon-grace-ms", "20000",
      ])
    let client = try StatusClient.discover(worker)
    try await setup.publishBigFile()
    #expect(try await setup.waitForTransaction(client), "\(setup.scenario.processes.logTails)")
    try await setup.publishRest()
    let signalled = ContinuousClock.now
    worker.signal(SIGTERM)
    let status = worker.waitForExit(timeout: .seconds(30))
    let took = ContinuousClock.now - signalled
    // Not the watchdog's status 1: the cancelled statement let the rollback happen in time.
    #expect(status == 0, "\(worker.log)")
    #expect(took < .seconds(5), "exit took \(took): \(worker.log)")
    #expect(worker.log.contains("left the consumer group"), "\(worker.log)")

    let ledger = try LedgerView(url: setup.scenario.fleetURL)
    #expect(!ledger.entries.contains { $0.relativePath == setup.bigPath && $0.outcome == .loaded })
    #expect(try setup.usersOfBigFile() == 0)

    try setup.finishWithNextWorker()
  }
}

/// One provider whose first file is a large users file, the rest the sample's days.
final class LargeFileSetup {
  let scenario: FleetScenario
  let rows: Int
  let bigPath = "users/2020-09-01-00-00-00.csv"
  private let provider = "canvas"

  init(rows: Int) throws {
    self.rows = rows
    scenario = try FleetScenario(providers: ["canvas"], partitions: 1)
    var text =
      "SourceSystemIdentifier,SourceSystem,UserRole,LocalUserIdentifier,SISUserIdentifier,Name,EmailAddress,CreateDate,LastModifiedDate,SourceCreateDate,SourceLastModifiedDate\n"
    text.reserveCapacity(rows * 110)
    let system = FleetTree.sourceSystem(provider)
    for index in 0..<rows {
      text +=
        "big\(index),\(system),student,user.\(index),\(index),User \(index),u\(index)@example.org,2020-08-20 12:34:50,2020-08-20 12:34:50,,\n"
    }
    try scenario.tree.write(provider, bigPath, text)
    try scenario.buildDaysWithReference()
  }

  var fileCount: Int { scenario.fileCount }

  /// The big file alone (its name is the oldest), so that the worker's first transaction holds it
  /// alone: a transaction takes the messages that have arrived when it starts.
  func publishBigFile() async throws {
    let first = try #require(scenario.dayFiles.first?.first)
    #expect(first.relativePath == bigPath)
    try await scenario.publisher.publish([first])
  }

  /// Every other file, in order, once the big one is in flight: the stop must find it there,
  /// however long publishing takes (under load it outlasted the big file's transaction).
  func publishRest() async throws {
    try await scenario.publisher.publish(Array(scenario.dayFiles[0].dropFirst()))
    try await scenario.publishDays(1..<scenario.dayFiles.count)
  }

  /// Waits until the worker has a transaction open (the big file is the first in it).
  func waitForTransaction(_ client: StatusClient) async throws -> Bool {
    try await eventuallyAsync(timeout: .seconds(60)) {
      try await client.metric("lmsds_files_in_flight") > 0
    }
  }

  func usersOfBigFile() throws -> Int {
    try LedgerView.count(
      url: scenario.fleetURL,
      sql: "SELECT count(*) FROM lms.lmsuser WHERE sourcesystemidentifier LIKE 'big%'")
  }

  /// A second worker applies what is left; the result equals `lmsds load`'s, each file once.
  func finishWithNextWorker() throws {
    try scenario.startWorker(idle: 15)
    #expect(try scenario.waitForSettled(fileCount), "\(scenario.processes.logTails)")
    // 3: the sample's days hold a file every loader rejects.
    for status in scenario.stopWorkers() {
      #expect(status == 0 || status == 3, "\(scenario.processes.logTails)")
    }
    try scenario.expectSameAsReference()
    let ledger = try LedgerView(url: scenario.fleetURL)
    #expect(ledger.loadedTwice.isEmpty)
  }
}
