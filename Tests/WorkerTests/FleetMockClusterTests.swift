import ExtractorTree
import Foundation
import Kafka
import LMSDSTestSupport
import Logging
import Messages
import Store
import Testing

@testable import Worker

/// The worker against librdkafka's in-process mock cluster and SQLite: fast, no servers.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct FleetMockClusterTests {
  let cluster: MockKafkaCluster
  let topic = TopicName("lms.files.\(UUID().uuidString.prefix(8).lowercased())")

  init() throws {
    cluster = try MockKafkaCluster()
    try cluster.createTopic(topic, partitions: 3)
    try cluster.createTopic(TopicName(topic.rawValue + ".dlq"), partitions: 1)
  }

  var kafka: KafkaConfiguration {
    var configuration = cluster.configuration
    configuration["log_level"] = "3"
    configuration["session.timeout.ms"] = "6000"
    configuration["heartbeat.interval.ms"] = "300"
    configuration["fetch.wait.max.ms"] = "100"
    configuration["topic.metadata.refresh.interval.ms"] = "1000"
    return configuration
  }

  /// Publishes every file of the roots, in the scanner's order, keyed by provider.
  func publish(_ roots: [SourceRoot]) async throws -> [FileMessage] {
    let scan = try SourceScanner(settleSeconds: 0).scan(roots)
    let producer = try KafkaProducer(configuration: kafka)
    defer { producer.close() }
    var messages: [FileMessage] = []
    for file in scan.files {
      let message = file.message(scanId: "test", publishedAt: Date())
      _ = try await producer.send(topic: topic, key: message.key, value: message.encode())
      messages.append(message)
    }
    return messages
  }

  func publishRaw(_ value: [UInt8], key: String) async throws {
    let producer = try KafkaProducer(configuration: kafka)
    defer { producer.close() }
    _ = try await producer.send(topic: topic, key: key, value: value)
  }

  func worker(
    _ sources: String, database: TestDatabase, idle: Duration = .seconds(6),
    group: String = "g-\(UUID().uuidString.prefix(6))",
    exitProcess: @escaping @Sendable () -> Void = { Issue.record("the worker ended the process") },
    configure: (inout FleetConfiguration) -> Void = { _ in }
  )
    -> FleetWorker
  {
    var configuration = FleetConfiguration(
      sourcesDirectory: sources, topic: topic, groupID: group,
      kafka: kafka,
      exitWhenIdle: idle)
    configuration.verificationAttempts = 2
    configuration.verificationDelay = .milliseconds(100)
    configure(&configuration)
    var logger = Logger(label: "fleet-test")
    logger.logLevel = .critical
    let location = database.location
    return FleetWorker(
      configuration: configuration, options: ApplyOptions(appliedBy: "test"), logger: logger,
      exitProcess: exitProcess
    ) {
      try DatabaseConnector.open(location)
    }
  }

  func deadLetters(count: Int) throws -> [KafkaMessage] {
    let consumer = try KafkaConsumer(
      configuration: kafka, groupID: "dlq-\(UUID().uuidString.prefix(6))")
    defer { try? consumer.close() }
    try consumer.subscribe(topics: [TopicName(topic.rawValue + ".dlq")])
    let end = ContinuousClock.now + .seconds(20)
    var messages: [KafkaMessage] = []
    while messages.count < count, ContinuousClock.now < end {
      if let message = try? consumer.poll(timeout: .milliseconds(100)) { messages.append(message) }
    }
    return messages
  }

  @Test func appliesEveryMessageLikeTheEmbeddedLoadAndRejectsPoison() async throws {
    let tree = try TreeBuilder()
    try tree.copy(sampleRoot, as: "best")
    // A malformed users file, newer than the others: rejected, and the provider goes on.
    try tree.write(
      "best", "users/2021-01-01-00-00-00.csv",
      "SourceSystemIdentifier,SourceSystemIdentifier\n1,2\n")
    let root = SourceRoot(provider: "best", path: tree.provider("best"))
    let published = try await publish([root])
    // A file changed after it was published: looked at again, then rejected with the reason.
    let changed = published.first { $0.relativePath == "sections/2020-09-19-15-04-23.csv" }!
    let database = try TestDatabase(.sqlite)
    let reference = try TestDatabase(.sqlite)
    _ = try load(reference, [root])
    try tree.write("best", changed.relativePath, "SourceSystemIdentifier\n")
    try await publishRaw(Array("{not json".utf8), key: "best")

    let worker = worker(tree.root.path, database: database)
    try await worker.run()
    let exit = try #require(worker.exit)
    #expect(exit.reason == .idle)
    #expect(exit.exitCode == 3)

    let entries = try ledger(database, provider: "best")
    #expect(entries.filter { $0.outcome == .loaded }.count == published.count - 2)
    let rejected = entries.filter { $0.outcome == .rejected }
    #expect(
      Set(rejected.map(\.relativePath)) == ["users/2021-01-01-00-00-00.csv", changed.relativePath])
    #expect(
      rejected.first { $0.relativePath == changed.relativePath }?.message?.contains("size") == true)
    // Applied in the published order.
    #expect(entries.map(\.relativePath) == published.map(\.relativePath))

    // The reference applied the original sections file, the worker rejected it: compare the rest.
    for table in [
      "LMSUser", "Assignment", "AssignmentSubmission", "LMSUserLMSSectionAssociation", "LMSGrade",
    ] {
      #expect(try database.state(table) == reference.state(table), "\(table)")
    }

    let letters = try deadLetters(count: 3)
    #expect(letters.count == 3)
    let reasons = letters.compactMap {
      $0.header("lmsds-reason").map { String(decoding: $0, as: UTF8.self) }
    }
    #expect(reasons.contains { $0.contains("repeats") })
    #expect(reasons.contains { $0.contains("malformed file message") })
    #expect(
      letters.contains {
        $0.header("lmsds-path").map { String(decoding: $0, as: UTF8.self) } == changed.relativePath
      })
    #expect(letters.allSatisfy { $0.keyString == "best" })
  }

  /// Under `--exit-when-idle`, a worker whose only partition with work is parked is not drained:
  /// it ends with status 1 naming the partition and why, having committed nothing past it.
  @Test func aProviderWithoutRootParksAndAnIdleWorkerExitsNamingIt() async throws {
    let tree = try TreeBuilder()
    try tree.copy(sampleRoot, as: "best")
    let published = try await publish([SourceRoot(provider: "best", path: tree.provider("best"))])
    try FileManager.default.moveItem(atPath: tree.provider("best"), toPath: tree.provider("gone"))
    let database = try TestDatabase(.sqlite)
    let worker = worker(tree.root.path, database: database, idle: .seconds(3))
    await #expect(throws: FleetWorkerStopped.self) { try await worker.run() }
    #expect(worker.exit?.exitCode == 1)
    guard case .stopped(let reason) = worker.exit?.reason else {
      Issue.record(
        "expected a stop naming the parked partition, got \(String(describing: worker.exit))")
      return
    }
    let partition = Murmur2Partitioner.partition(forKey: "best", partitionCount: 3)
    #expect(
      reason.contains("\(topic)[\(partition)] parked at offset 0 (no_source_root)"), "\(reason)")
    #expect(reason.contains("no source root for provider best"), "\(reason)")
    #expect(try ledger(database).isEmpty)
    let admin = try KafkaAdmin(configuration: kafka)
    let committed = try admin.committedOffsets(group: worker.configuration.groupID, topic: topic)
    #expect(committed.values.allSatisfy { !$0.isConcrete })
    #expect(published.count == 21)
  }

  /// A message of a newer major version parks its partition too (a newer worker applies it),
  /// while the provider's other partition-mates are not skipped past it.
  @Test func aNewerMessageVersionParksItsPartition() async throws {
    let tree = try TreeBuilder()
    try tree.copy(sampleRoot, as: "best")
    let message = try #require(
      try SourceScanner(settleSeconds: 0).scan([
        SourceRoot(provider: "best", path: tree.provider("best"))
      ]).files.first
    ).message(scanId: "test", publishedAt: Date())
    let newer = String(decoding: message.encode(), as: UTF8.self)
      .replacingOccurrences(of: "\"version\":\"1.0\"", with: "\"version\":\"2.0\"")
    #expect(newer.contains("\"2.0\""))
    try await publishRaw(Array(newer.utf8), key: "best")
    _ = try await publish([SourceRoot(provider: "best", path: tree.provider("best"))])
    let database = try TestDatabase(.sqlite)
    let worker = worker(tree.root.path, database: database, idle: .seconds(3))
    await #expect(throws: FleetWorkerStopped.self) { try await worker.run() }
    guard case .stopped(let reason) = worker.exit?.reason else {
      Issue.record("expected a stop naming the parked partition")
      return
    }
    let partition = Murmur2Partitioner.partition(forKey: "best", partitionCount: 3)
    #expect(
      reason.contains("\(topic)[\(partition)] parked at offset 0 (unsupported_version)"),
      "\(reason)")
    #expect(try ledger(database).isEmpty, "nothing behind the parked message was applied")
  }

  /// The parked partition resumes, with no restart, once the root appears; meanwhile another
  /// provider on another partition is applied; nothing is applied twice.
  @Test func aParkedPartitionResumesWhenItsRootAppears() async throws {
    // Two providers on different partitions of the three.
    let parked = "best"
    let flowing = ["other", "d2l", "canvas", "moodle"].first {
      Murmur2Partitioner.partition(forKey: $0, partitionCount: 3)
        != Murmur2Partitioner.partition(forKey: parked, partitionCount: 3)
    }!
    let tree = try TreeBuilder()
    try tree.copy(sampleRoot, as: parked)
    try tree.copy(sampleRoot, as: flowing)
    let published = try await publish([
      SourceRoot(provider: ProviderName(parked), path: tree.provider(parked)),
      SourceRoot(provider: ProviderName(flowing), path: tree.provider(flowing)),
    ])
    let aside = tree.root.path + "-aside"
    try FileManager.default.moveItem(atPath: tree.provider(parked), toPath: aside)
    defer { try? FileManager.default.removeItem(atPath: aside) }
    let database = try TestDatabase(.sqlite)
    let worker = worker(
      tree.root.path, database: database,
      configure: {
        $0.exitWhenIdle = nil
        $0.parkRetryInterval = .milliseconds(200)
      })
    let run = Task { try await worker.run() }
    func waitFor(_ condition: () throws -> Bool) async throws -> Bool {
      let deadline = ContinuousClock.now + .seconds(60)
      while ContinuousClock.now < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
      }
      return false
    }
    let perProvider = published.count / 2
    // The other provider's files all load while the parked one waits.
    #expect(try await waitFor { try ledger(database, provider: flowing).count == perProvider })
    #expect(try await waitFor { !worker.health.readiness().notes.isEmpty })
    #expect(try ledger(database, provider: parked).isEmpty)
    #expect(worker.health.readiness().isHealthy, "a parked partition leaves the worker ready")
    #expect(
      worker.health.readiness().notes.first?.contains("no source root for provider best") == true)

    // The root appears: the parked files load, in order, once each.
    try FileManager.default.moveItem(atPath: aside, toPath: tree.provider(parked))
    #expect(try await waitFor { try ledger(database, provider: parked).count == perProvider })
    #expect(try await waitFor { worker.health.readiness().notes.isEmpty })
    worker.stop()
    try await run.value
    #expect(worker.exit?.reason == .shutdown)
    let entries = try ledger(database)
    #expect(entries.count == published.count, "nothing applied twice")
    #expect(
      entries.filter { $0.provider.rawValue == parked }.map(\.relativePath)
        == published.filter { $0.provider.rawValue == parked }.map(\.relativePath))
  }
}
