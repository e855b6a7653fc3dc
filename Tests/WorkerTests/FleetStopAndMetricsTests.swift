import ExtractorTree
import Foundation
import LMSDSTestSupport
import Logging
import Messages
import Prometheus
import ServiceLifecycle
import Store
import Testing

@testable import Worker

/// Metrics, health and stopping, on the mock cluster (same suite: it shares the cluster's topic).
extension FleetMockClusterTests {
  @Test func metricsCountWhatTheLedgerCommitted() async throws {
    let tree = try TreeBuilder()
    try tree.copy(sampleRoot, as: "best")
    try tree.write(
      "best", "users/2021-01-01-00-00-00.csv",
      "SourceSystemIdentifier,SourceSystemIdentifier\n1,2\n")
    let root = SourceRoot(provider: "best", path: tree.provider("best"))
    let published = try await publish([root])
    let database = try TestDatabase(.sqlite)
    let registry = PrometheusCollectorRegistry()
    let worker = worker(tree.root.path, database: database) {
      Issue.record("the worker ended the process")
    } configure: {
      $0.metrics = FleetMetrics(factory: PrometheusMetricsFactory(registry: registry))
    }
    try await worker.run()

    let entries = try ledger(database, provider: "best")
    #expect(entries.count == published.count)
    let scrape = PrometheusText(registry)
    for resource in ResourceKind.allCases {
      let ofResource = entries.filter { $0.resource == resource }
      let labels = ["provider": "best", "resource": resource.rawValue]
      let loaded = ofResource.filter { $0.outcome == .loaded }
      #expect(
        scrape.value("lmsds_files_applied_total", labels) ?? 0 == Double(loaded.count),
        "\(resource)")
      #expect(
        scrape.value("lmsds_files_rejected_total", labels) ?? 0
          == Double(ofResource.filter { $0.outcome == .rejected }.count), "\(resource)")
      let counts = loaded.map(\.counts).reduce(RowCounts(), +)
      #expect(
        scrape.value("lmsds_rows_inserted_total", labels) ?? 0 == Double(counts.inserted),
        "\(resource)")
      #expect(
        scrape.value("lmsds_rows_soft_deleted_total", labels) ?? 0 == Double(counts.softDeleted),
        "\(resource)")
      #expect(
        scrape.value("lmsds_file_apply_duration_seconds_count", labels) ?? 0
          == Double(loaded.count), "\(resource)")
    }
    #expect(scrape.value("lmsds_files_rejected_total", ["resource": "users"]) == 1)
    #expect(scrape.value("lmsds_files_in_flight", [:]) == 0)
    let newest = entries.filter { $0.outcome == .loaded }.map(\.nameTimestamp).max()!
    #expect(
      scrape.value("lmsds_last_applied_file_timestamp_seconds", ["provider": "best"])
        == Double(FleetMetrics.unixSeconds(newest)))
    // Every series scraped is documented, and the documentation names exactly what exists.
    let documented = try documentedMetricNames()
    #expect(documented == Set(FleetMetrics.Name.all))
    for sample in scrape.samples {
      let base = ["_bucket", "_sum", "_count"].reduce(sample.name) { name, suffix in
        name.hasSuffix(suffix) && documented.contains(String(name.dropLast(suffix.count)))
          ? String(name.dropLast(suffix.count)) : name
      }
      #expect(documented.contains(base), "\(sample.name) is not in docs/operations.md")
    }
    // 2021-01-01T00:00:00Z, worked out by hand.
    #expect(FleetMetrics.unixSeconds(NameTimestamp("2021-01-01-00-00-00")!) == 1_609_459_200)
  }

  @Test func readyOnceJoinedAndNotWhileStopping() async throws {
    let tree = try TreeBuilder()
    try tree.copy(sampleRoot, as: "best")
    _ = try await publish([SourceRoot(provider: "best", path: tree.provider("best"))])
    let database = try TestDatabase(.sqlite)
    let worker = worker(tree.root.path, database: database, idle: .seconds(60))
    #expect(!worker.health.readiness().isHealthy)
    worker.health.markDatabaseMigrated()
    #expect(worker.health.readiness().problems == ["consumer group not joined yet"])
    let run = Task { try await worker.run() }
    let deadline = ContinuousClock.now + .seconds(30)
    while !worker.health.readiness().isHealthy, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(worker.health.readiness().isHealthy)
    #expect(worker.health.liveness().isHealthy)
    worker.stop()
    #expect(worker.health.readiness().problems == ["stopping"])
    try await run.value
    #expect(worker.exit?.reason == .shutdown)
  }

  /// SIGTERM's path: the file in flight is finished and committed, the rest waits for the next
  /// member of the group, which applies each remaining file exactly once.
  @Test func aStopFinishesTheFileInFlightAndTheNextWorkerContinues() async throws {
    let tree = try TreeBuilder()
    try tree.copy(sampleRoot, as: "best")
    let root = SourceRoot(provider: "best", path: tree.provider("best"))
    let published = try await publish([root])
    let database = try TestDatabase(.sqlite)
    let group = "g-\(UUID().uuidString.prefix(6))"
    let registry = PrometheusCollectorRegistry()
    let first = worker(tree.root.path, database: database, idle: .seconds(60), group: group) {
      Issue.record("the worker ended the process")
    } configure: {
      $0.delayPerFile = .milliseconds(500)
      $0.metrics = FleetMetrics(factory: PrometheusMetricsFactory(registry: registry))
    }
    let run = Task { try await first.run() }
    try await waitForFilesInFlight(registry)
    // Let a few files of the open transaction go by.
    try await Task.sleep(for: .milliseconds(1500))
    let stopped = ContinuousClock.now
    first.stop()
    try await run.value
    // At most the file in flight (its delay plus the apply) was waited for.
    #expect(ContinuousClock.now - stopped < .seconds(5))
    #expect(first.exit?.reason == .shutdown)
    let afterStop = try ledger(database, provider: "best")
    #expect(afterStop.count < published.count)
    #expect(afterStop.allSatisfy { $0.outcome == .loaded })
    // Each file in the ledger is wholly there: its rows were committed with it.
    #expect(afterStop.map(\.relativePath) == published.prefix(afterStop.count).map(\.relativePath))

    let second = worker(tree.root.path, database: database, idle: .seconds(10), group: group)
    try await second.run()
    try expectEachPublishedFileLoadedOnce(database, published)
    let reference = try TestDatabase(.sqlite)
    _ = try load(reference, [root])
    for table in ["LMSUser", "LMSSection", "Assignment", "AssignmentSubmission", "LMSGrade"] {
      #expect(try database.state(table) == reference.state(table), "\(table)")
    }
  }

  /// Past the shutdown timeout the open transaction is rolled back: none of its files counts as
  /// applied, and the next worker applies them.
  @Test func pastTheShutdownTimeoutTheOpenTransactionIsRolledBack() async throws {
    let tree = try TreeBuilder()
    try tree.copy(sampleRoot, as: "best")
    let root = SourceRoot(provider: "best", path: tree.provider("best"))
    let published = try await publish([root])
    let database = try TestDatabase(.sqlite)
    let group = "g-\(UUID().uuidString.prefix(6))"
    let registry = PrometheusCollectorRegistry()
    let first = worker(tree.root.path, database: database, idle: .seconds(60), group: group) {
      Issue.record("the worker ended the process")
    } configure: {
      $0.delayPerFile = .seconds(30)
      $0.shutdownTimeout = .milliseconds(500)
      $0.metrics = FleetMetrics(factory: PrometheusMetricsFactory(registry: registry))
    }
    let run = Task { try await first.run() }
    try await waitForFilesInFlight(registry)
    let stopped = ContinuousClock.now
    first.stop()
    try await run.value
    #expect(ContinuousClock.now - stopped < .seconds(3))
    #expect(try ledger(database, provider: "best").isEmpty)
    #expect(try database.state("LMSUser").isEmpty)
    #expect(PrometheusText(registry).value("lmsds_files_applied_total", [:]) == nil)

    let second = worker(tree.root.path, database: database, idle: .seconds(10), group: group)
    try await second.run()
    try expectEachPublishedFileLoadedOnce(database, published)
  }

  private func documentedMetricNames() throws -> Set<String> {
    let text = try String(
      contentsOf: repositoryRoot.appendingPathComponent("docs/operations.md"), encoding: .utf8)
    let names = text.matches(of: /`(lmsds_[a-z_]+)`/).map { String($0.output.1) }
    return Set(names)
  }

  /// Waits until the worker has a database transaction open.
  private func waitForFilesInFlight(_ registry: PrometheusCollectorRegistry) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while PrometheusText(registry).value("lmsds_files_in_flight", [:]) ?? 0 == 0,
      ContinuousClock.now < deadline
    {
      try await Task.sleep(for: .milliseconds(50))
    }
    try #require(PrometheusText(registry).value("lmsds_files_in_flight", [:]) ?? 0 > 0)
  }
}

/// A Prometheus text exposition, read back by sample name and labels.
struct PrometheusText {
  let samples: [(name: String, labels: [String: String], value: Double)]

  init(_ registry: PrometheusCollectorRegistry) {
    var buffer: [UInt8] = []
    registry.emit(into: &buffer)
    self.init(String(decoding: buffer, as: UTF8.self))
  }

  init(_ text: String) {
    var samples: [(String, [String: String], Double)] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      guard let space = line.lastIndex(of: " "),
        let value = Double(line[line.index(after: space)...])
      else { continue }
      let series = line[..<space]
      guard let brace = series.firstIndex(of: "{") else {
        samples.append((String(series), [:], value))
        continue
      }
      var labels: [String: String] = [:]
      let body = series[series.index(after: brace)..<series.index(before: series.endIndex)]
      for pair in body.split(separator: ",") {
        let parts = pair.split(separator: "=", maxSplits: 1)
        guard parts.count == 2 else { continue }
        labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
      }
      samples.append((String(series[..<brace]), labels, value))
    }
    self.samples = samples
  }

  /// The sum over the series of `name` whose labels include `labels`; nil when there is none.
  func value(_ name: String, _ labels: [String: String]) -> Double? {
    let matching = samples.filter { sample in
      sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
    }
    return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
  }
}

/// A companion service of the worker's process (the HTTP endpoint) that fails.
private struct FailingCompanion: Service {
  struct Failure: Error {}
  func run() async throws {
    try await Task.sleep(for: .seconds(2))
    throw Failure()
  }
}

/// `FleetProcess.run`'s result, handed across threads.
private final class ProcessResultBox: @unchecked Sendable {
  // `@unchecked Sendable`: written once by the thread before it resumes the waiting task.
  var result: Result<FleetExit, any Error>?
}

extension FleetMockClusterTests {
  @Test func aFailingCompanionStopsTheWorkerAndTheProcessReportsIt() async throws {
    let tree = try TreeBuilder()
    try tree.copy(sampleRoot, as: "best")
    _ = try await publish([SourceRoot(provider: "best", path: tree.provider("best"))])
    let database = try TestDatabase(.sqlite)
    let worker = worker(tree.root.path, database: database, idle: .seconds(60))
    var quiet = Logger(label: "process-test")
    quiet.logLevel = .critical
    let logger = quiet
    let box = ProcessResultBox()
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let thread = Thread {
        box.result = FleetProcess.run(worker, alongside: [FailingCompanion()], logger: logger)
        continuation.resume()
      }
      thread.start()
    }
    #expect(worker.exit?.reason == .shutdown)
    guard case .failure(let error) = try #require(box.result) else {
      Issue.record("the process reported success")
      return
    }
    #expect("\(error)".contains("Failure"))
  }
}

/// Every published file loaded exactly once, in publish order. The stopped worker's membership
/// lingers until its session times out, and the rebalance that follows may hand the next worker
/// messages it applied but had not committed yet: those come back as `duplicate` rows (delivery
/// is at least once), which this allows and nothing else.
private func expectEachPublishedFileLoadedOnce(
  _ database: TestDatabase, _ published: [FileMessage],
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let entries = try ledger(database, provider: "best")
  let loaded = entries.filter { $0.outcome == .loaded }
  #expect(
    loaded.map(\.relativePath) == published.map(\.relativePath), sourceLocation: sourceLocation)
  #expect(
    entries.allSatisfy { $0.outcome == .loaded || $0.outcome == .duplicate },
    sourceLocation: sourceLocation)
}
