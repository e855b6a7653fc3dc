import ExtractorTree
import Foundation
import Kafka
import Messages
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// One test's fleet: a private PostgreSQL with a fleet database and a reference database, a fresh
/// topic on the broker, a tree of providers, and the `lmsds` processes started for it.
final class FleetScenario {
  let brokers: String
  let postgres: PrivatePostgres
  let fleetURL: String
  let referenceURL: String
  let topic: TopicName
  let group = "fleet-\(UUID().uuidString.prefix(8).lowercased())"
  let tree: FleetTree
  /// The tree `lmsds produce` scans, grown one day at a time (`produceDays`): the same providers
  /// and bytes as `tree`, so workers may read either.
  let liveTree: FleetTree
  let partitions: Int
  let processes: ProcessGroup
  let publisher: TopicPublisher
  /// The files each day's producer run publishes, in order.
  private(set) var dayFiles: [[ScannedFile]] = []
  /// What the `lmsds produce` runs published, in the scanner's order (what `produceDays` ran).
  private(set) var produced: [ScannedFile] = []
  private var workerCount = 0
  /// Given to every `lmsds produce` of `produceDays` as `--archive` when set.
  var archive: String?

  init(providers: [String], partitions: Int = 4) throws {
    brokers = try FleetEnvironment.require()
    postgres = try PrivatePostgres()
    fleetURL = try postgres.createDatabase("fleet")
    referenceURL = try postgres.createDatabase("reference")
    topic = try FleetKafka.createTopic(brokers: brokers, partitions: partitions)
    tree = try FleetTree(providers: providers)
    liveTree = try FleetTree(providers: providers)
    self.partitions = partitions
    processes = try ProcessGroup()
    publisher = try TopicPublisher(brokers: brokers, topic: topic)
  }

  /// Grows the tree day by day, running `lmsds load` into the reference database after each day
  /// (what the embedded load produces from the same trees, in the same runs), and remembers what
  /// each day's producer run finds.
  func buildDaysWithReference(_ days: Range<Int>? = nil) throws {
    for day in days ?? 0..<tree.days.count {
      try tree.addDay(day)
      let (status, log) = try processes.runToEnd(
        "load-day\(day)",
        [
          "load", "--sources", tree.root, "--database", referenceURL, "--settle-seconds", "0",
          "--log-level", "warning",
        ])
      // 3: the day held a rejected file, which the fleet must reject too.
      #expect(status == 0 || status == 3, "lmsds load day \(day): \(log)")
      dayFiles.append(try tree.newFiles())
    }
  }

  var fileCount: Int { dayFiles.reduce(0) { $0 + $1.count } }

  /// Publishes the remembered days' files (all, or some days), day by day.
  func publishDays(_ days: Range<Int>? = nil) async throws {
    for files in dayFiles[days ?? 0..<dayFiles.count] { try await publisher.publish(files) }
  }

  /// Publishes through the real producer: for each day, writes that day's files into `liveTree`
  /// and runs `lmsds produce --sources` over it to its end; each run must publish exactly the
  /// day's new files (the ledger gains a `published` row for each).
  func produceDays(_ days: Range<Int>? = nil) throws {
    for day in days ?? 0..<tree.days.count {
      try liveTree.addDay(day)
      let expected = try liveTree.newFiles()
      let (status, log) = try processes.runToEnd(
        "produce-day\(day)",
        [
          "produce", "--sources", liveTree.root, "--brokers", brokers, "--topic", topic.rawValue,
          "--partitions", String(partitions), "--database", fleetURL, "--settle-seconds", "0",
          "--log-level", "warning", "--kafka-option", "log_level=3",
        ] + (archive.map { ["--archive", $0] } ?? []))
      #expect(status == 0, "lmsds produce day \(day): \(log)")
      produced += expected
      let published = try LedgerView(url: fleetURL).entries.filter {
        $0.outcome == .published && !$0.replay
      }
      #expect(
        published.count == produced.count,
        "day \(day): published rows \(published.count), files \(produced.count): \(log)")
    }
  }

  @discardableResult
  /// - Parameter kafkaOptions: `--kafka-option` arguments; the tests' tight timings unless given
  ///   (`[]`: the worker's own defaults, as an operator runs it).
  func startWorker(
    idle: Int? = nil, sources: String? = nil, kafkaOptions: [String] = FleetKafka.workerOptions,
    extra: [String] = []
  ) throws
    -> LmsdsProcess
  {
    workerCount += 1
    var arguments =
      [
        "work", "--sources", sources ?? tree.root, "--brokers", brokers, "--topic", topic.rawValue,
        "--group", group,
        "--database", fleetURL, "--verification-attempts", "2", "--verification-delay-ms", "200",
      ] + kafkaOptions + extra
    if let idle { arguments += ["--exit-when-idle", String(idle)] }
    return try processes.start("worker\(workerCount)", arguments)
  }

  /// Waits until the fleet's ledger holds an outcome for `count` distinct files.
  func waitForSettled(_ count: Int, timeout: Duration = .seconds(90)) throws -> Bool {
    try eventually(timeout: timeout) {
      ((try? LedgerView(url: fleetURL))?.settledFiles ?? 0) >= count
    }
  }

  /// SIGTERM to every worker still running; their exit statuses.
  func stopWorkers(timeout: Duration = .seconds(30)) -> [Int32?] {
    let running = processes.processes.filter { $0.isRunning }
    for process in running { process.signal(SIGTERM) }
    return running.map { $0.waitForExit(timeout: timeout) }
  }

  /// The fleet database equals the reference in every table, column and deleted-ness.
  func expectSameAsReference() throws {
    let fleet = try DatabaseSnapshot(url: fleetURL)
    let reference = try DatabaseSnapshot(url: referenceURL)
    #expect(fleet.tables["LMSUser"]?.isEmpty == false)
    let difference = fleet.difference(from: reference)
    #expect(difference == nil)
  }

  /// Each provider's loaded files appear in the ledger in the order they were published.
  func expectLedgerOrder() throws {
    let ledger = try LedgerView(url: fleetURL)
    #expect(ledger.loadedTwice.isEmpty, "loaded twice: \(ledger.loadedTwice)")
    for provider in tree.providers {
      let published =
        publisher.published.filter { $0.provider.rawValue == provider }.map(\.relativePath)
        + produced.filter { $0.provider.rawValue == provider }.map(\.relativePath)
      var seen = Set<String>()
      let firstOutcomes = ledger.entries.filter {
        $0.provider.rawValue == provider && $0.outcome != .duplicate && $0.outcome != .published
      }
      .map(\.relativePath).filter { seen.insert($0).inserted }
      #expect(
        firstOutcomes == published.filter { path in firstOutcomes.contains(path) },
        "order of \(provider)")
      #expect(Set(firstOutcomes) == Set(published), "every file of \(provider) has an outcome")
    }
  }
}
