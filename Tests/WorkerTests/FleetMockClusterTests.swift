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

  var kafka: KafkaConfiguration { tuned(cluster) }

  /// A client configuration for a mock cluster with the tests' tight group timings.
  func tuned(_ cluster: MockKafkaCluster) -> KafkaConfiguration {
    var configuration = cluster.configuration
    configuration["log_level"] = "3"
    configuration["session.timeout.ms"] = "6000"
    configuration["heartbeat.interval.ms"] = "300"
    configuration["fetch.wait.max.ms"] = "100"
    configuration["topic.metadata.refresh.interval.ms"] = "1000"
    return configuration
  }

  /// Publishes every file of the roots, in the scanner's order, keyed by provider.
  func publish(_ roots: [SourceRoot], to kafka: KafkaConfiguration? = nil) async throws
    -> [FileMessage]
  {
    let scan = try SourceScanner(settleSeconds: 0).scan(roots)
    let producer = try KafkaProducer(configuration: kafka ?? self.kafka)
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
    logger: Logger? = nil,
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
    var quiet = Logger(label: "fleet-test")
    quiet.logLevel = .critical
    let logger = logger ?? quiet
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

  /// Polls `condition` until it holds, for up to a minute.
  func waitFor(_ condition: () throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
      if try condition() { return true }
      try await Task.sleep(for: .milliseconds(100))
    }
    return false
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

  /// Two messages that lie about a file — its SHA-256 with a size one byte larger, then its size
  /// with a digest of zeros — arrive before the genuine one. Each is recorded `rejected` under the
  /// identity it claimed, saying what did not match, and dead-lettered; the genuine file loads.
  @Test func aForgedMessageNeverShadowsTheGenuineFile() async throws {
    let tree = try TreeBuilder()
    try tree.write("p1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2", "u3"]))
    try tree.write("p1", "sections/\(Stamp.t0)", CSVFile.sections(["s1"]))
    let root = SourceRoot(provider: "p1", path: tree.provider("p1"))
    let genuine = try #require(
      try SourceScanner(settleSeconds: 0).scan([root]).files.first {
        $0.location.resource == .users
      }
    ).message(scanId: "test", publishedAt: Date())
    var forgedSize = genuine
    forgedSize.size += 1
    var forgedDigest = genuine
    forgedDigest.sha256 = .repeating("0")
    for message in [forgedSize, forgedDigest] {
      try await publishRaw(message.encode(), key: "p1")
    }
    let published = try await publish([root])
    let database = try TestDatabase(.sqlite)

    let worker = worker(tree.root.path, database: database)
    try await worker.run()
    #expect(worker.exit?.reason == .idle)

    let users = try ledger(database, provider: "p1").filter {
      $0.relativePath == genuine.relativePath
    }
    #expect(users.map(\.outcome) == [.rejected, .rejected, .loaded])
    #expect(users.map(\.sha256) == [genuine.sha256, forgedDigest.sha256, genuine.sha256])
    #expect(users.map(\.size) == [forgedSize.size, genuine.size, genuine.size])
    #expect(users.map(\.mismatched) == [true, true, false])
    #expect(
      users.first?.message?.contains(
        "its size is \(genuine.size) bytes, the message says \(forgedSize.size)") == true)
    #expect(users.dropFirst().first?.message?.contains(genuine.sha256.hex) == true)
    #expect(users.dropFirst().first?.message?.contains(forgedDigest.sha256.hex) == true)
    #expect(try database.count("LMSUser") == 3)
    #expect(
      try ledger(database, provider: "p1").filter { $0.outcome == .loaded }.count == published.count
    )
    #expect(try deadLetters(count: 2).count == 2)
  }

  /// A file rewritten after it was published, to content of the same size: the size check passes
  /// without reading it, the bytes staged do not match, the batch is looked at again and then the
  /// file is recorded rejected naming both digests. Nothing of it loads; the other file does.
  @Test func aFileRewrittenAfterPublishingIsRetriedThenRejectedNamingBothDigests() async throws {
    let tree = try TreeBuilder()
    let path = try tree.write("p1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    try tree.write("p1", "sections/\(Stamp.t0)", CSVFile.sections(["s1"]))
    let root = SourceRoot(provider: "p1", path: tree.provider("p1"))
    let published = try await publish([root])
    let users = try #require(published.first { $0.resource == .users })
    try tree.write("p1", users.relativePath, CSVFile.users(["u3", "u4"]))
    let (rewritten, size) = try FileHasher.sha256(path: path)
    #expect(size == users.size)
    let database = try TestDatabase(.sqlite)

    let worker = worker(tree.root.path, database: database)
    try await worker.run()
    #expect(worker.exit?.reason == .idle)

    let entries = try ledger(database, provider: "p1")
    #expect(entries.map(\.outcome) == [.rejected, .loaded])
    let rejected = try #require(entries.first)
    #expect(rejected.sha256 == users.sha256)
    #expect(rejected.mismatched)
    #expect(rejected.message?.contains(users.sha256.hex) == true)
    #expect(rejected.message?.contains(rewritten.hex) == true)
    #expect(try database.count("LMSUser") == 0)
    #expect(try database.count("LMSSection") == 1)
    #expect(try deadLetters(count: 1).count == 1)
  }

  /// The same rewrite, undone while the worker looks again (on its retry warning, not after a
  /// guessed time): the retried batch stages the published bytes and the file loads.
  @Test func aFileThatMatchesAgainOnTheRetryLoads() async throws {
    let tree = try TreeBuilder()
    let original = CSVFile.users(["u1", "u2"])
    try tree.write("p1", "users/\(Stamp.t0)", original)
    let root = SourceRoot(provider: "p1", path: tree.provider("p1"))
    let published = try await publish([root])
    let users = try #require(published.first)
    try tree.write("p1", users.relativePath, CSVFile.users(["u3", "u4"]))
    let database = try TestDatabase(.sqlite)
    let restore = OnLogLine("do not match its message yet") {
      _ = try? tree.write("p1", users.relativePath, original)
    }
    var logger = Logger(label: "fleet-test") { _ in restore }
    logger.logLevel = .warning

    let worker = worker(tree.root.path, database: database, logger: logger) {
      $0.verificationAttempts = 5
    }
    try await worker.run()
    #expect(worker.exit?.reason == .idle)
    #expect(restore.fired)
    #expect(try ledger(database, provider: "p1").map(\.outcome) == [.loaded])
    #expect(try database.liveKeys("LMSUser") == ["u1", "u2"])
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

  /// The broker refuses every dead letter until the worker is stopped: the rejection stays owed
  /// in the ledger and its offset is committed all the same (a restarted worker of the group finds
  /// nothing to apply, and its sweep leaves the fresh claim alone). Once the claim has aged, a
  /// sweep sends the dead letter, rebuilt from the ledger row, exactly once (issue 10, item 9).
  @Test func aDeadLetterTheBrokerNeverAcknowledgedIsSentOnceLaterFromTheLedger() async throws {
    let tree = try TreeBuilder()
    let poison = "users/\(Stamp.t0)"
    try tree.write("p1", poison, "SourceSystemIdentifier,SourceSystemIdentifier\n1,2\n")
    try tree.write("p1", "sections/\(Stamp.t0)", CSVFile.sections(["s1"]))
    let published = try await publish([SourceRoot(provider: "p1", path: tree.provider("p1"))])
    let database = try TestDatabase(.sqlite)
    let group = "g-\(UUID().uuidString.prefix(6))"
    cluster.fail(next: 1000, .produce, with: .topicAuthorizationFailed)

    let first = worker(
      tree.root.path, database: database, group: group, configure: { $0.exitWhenIdle = nil })
    let run = Task { try await first.run() }
    // The sections file waits behind the rejection, whose dead letter the broker refuses.
    #expect(
      try await waitFor { try ledger(database, provider: "p1").map(\.outcome) == [.rejected] })
    first.stop()
    try await run.value
    #expect(first.exit?.reason == .shutdown)
    let ledgerView = Ledger(connection: database.connection)
    let later = Date().addingTimeInterval(3600)
    let owed = try ledgerView.owedDeadLetters(claimedBefore: later, limit: 10)
    #expect(owed.map(\.entry.relativePath) == [poison])

    cluster.clearFailures(.produce)
    let second = worker(tree.root.path, database: database, group: group)
    try await second.run()
    #expect(second.exit?.reason == .idle)
    #expect(
      try ledger(database, provider: "p1").map(\.outcome) == [.rejected, .loaded],
      "the rejection's offset was committed: it was not applied again, the next file was")
    #expect(published.count == 2)
    #expect(try ledgerView.owedDeadLetters(claimedBefore: later, limit: 10) == owed)

    var quiet = Logger(label: "sweep-test")
    quiet.logLevel = .critical
    let location = database.location
    let sweep = DeadLetterSweep(
      configuration: second.configuration, logger: quiet,
      connect: { try DatabaseConnector.open(location) })
    // Made as the sweep makes it: its producer only once a dead letter is owed.
    let publisher = try DeadLetterPublisher(
      configuration: kafka, topic: second.configuration.deadLetterTopic)
    defer { publisher.close() }
    #expect(try sweep.sweep(database.connection, publisher: publisher, now: { later }) == 1)
    #expect(try sweep.sweep(database.connection, publisher: publisher, now: { later }) == 0)
    #expect(try ledgerView.owedDeadLetters(claimedBefore: later, limit: 10).isEmpty)

    let letters = try deadLetters(count: 2)
    #expect(letters.count == 1, "sent once, and never by the stopped worker")
    let letter = try #require(letters.first)
    #expect(letter.keyString == "p1")
    let header = { (name: String) in letter.header(name).map { String(decoding: $0, as: UTF8.self) }
    }
    #expect(header("lmsds-reason")?.contains("repeats") == true)
    #expect(header("lmsds-provider") == "p1")
    #expect(header("lmsds-path") == poison)
    #expect(header("lmsds-ledger-row") == owed.first.map { "\($0.row)" })
    let original = try #require(published.first { $0.relativePath == poison })
    let message = try FileMessage.decode(letter.value)
    #expect(message.identity == original.identity)
    #expect(message.size == original.size)
    #expect(message.scanId == original.scanId)
  }

  /// The group coordinator goes away (its broker down) while the partition's leader stays: the
  /// worker applies a file whose offset commit cannot reach the coordinator. The consume loop keeps
  /// turning meanwhile — an offset commit never holds it, so /livez stays fine — `/readyz` turns
  /// false once the member loses its place in the group, and true again when the coordinator is
  /// back (issue 10, item 10).
  @Test func aCoordinatorOutageNeitherStallsTheLoopNorLeavesTheWorkerReady() async throws {
    let outage = try MockKafkaCluster(brokers: 2)
    let deadLetterTopic = TopicName(topic.rawValue + ".dlq")
    try outage.createTopic(topic, partitions: 1)
    try outage.createTopic(deadLetterTopic, partitions: 1)
    try outage.setLeader(TopicPartition(topic, 0), broker: 1)
    try outage.setLeader(TopicPartition(deadLetterTopic, 0), broker: 1)
    let group = "g-\(UUID().uuidString.prefix(6))"
    try outage.setGroupCoordinator(group, broker: 2)
    let tree = try TreeBuilder()
    try tree.write("p1", "users/\(Stamp.t0)", CSVFile.users(["u1"]))
    let root = SourceRoot(provider: "p1", path: tree.provider("p1"))
    _ = try await publish([root], to: tuned(outage))
    let database = try TestDatabase(.sqlite)
    let worker = worker(
      tree.root.path, database: database, group: group,
      configure: {
        $0.kafka = tuned(outage)
        $0.exitWhenIdle = nil
      })
    worker.health.markDatabaseMigrated()
    let run = Task { try await worker.run() }
    #expect(try await waitFor { try ledger(database).count == 1 })
    #expect(try await waitFor { worker.health.readiness().isHealthy })

    try outage.setBroker(2, up: false)
    try tree.write("p1", "users/\(Stamp.t1)", CSVFile.users(["u1", "u2"]))
    let second = try SourceScanner(settleSeconds: 0).scan([root]).files.first {
      $0.relativePath == "users/\(Stamp.t1)"
    }!.message(scanId: "test", publishedAt: Date())
    let producer = try KafkaProducer(configuration: tuned(outage))
    _ = try await producer.send(topic: topic, key: second.key, value: second.encode())
    producer.close()
    #expect(try await waitFor { try ledger(database).count == 2 })
    // For 15 s of outage (longer than the session timeout, 6 s), the loop never goes a second
    // without turning: /livez's 60 s bound is never approached.
    var stalls = 0
    var unready = false
    let end = ContinuousClock.now + .seconds(15)
    while ContinuousClock.now < end {
      if !worker.health.liveness(now: .now + .seconds(59)).isHealthy { stalls += 1 }
      if worker.health.readiness().problems.contains(where: { $0.contains("membership lost") }) {
        unready = true
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(stalls == 0, "the consume loop stopped turning while the coordinator was away")
    #expect(unready, "/readyz must turn false while the member is out of its group")

    try outage.setBroker(2, up: true)
    #expect(try await waitFor { worker.health.readiness().isHealthy })
    worker.stop()
    try await run.value
    #expect(worker.exit?.reason == .shutdown)
  }
}

/// Runs an action the first time a log message contains a text: a test reacts to what the worker
/// reports, not to a guessed time.
private final class OnLogLine: LogHandler, @unchecked Sendable {
  // `@unchecked Sendable`: `done` is only touched under `lock`; `action` runs once.
  private let lock = NSLock()
  private var done = false
  private let text: String
  private let action: () -> Void
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  init(_ text: String, action: @escaping () -> Void) {
    self.text = text
    self.action = action
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    guard "\(event.message)".contains(text) else { return }
    let first = lock.withLock {
      defer { done = true }
      return !done
    }
    if first { action() }
  }

  var fired: Bool { lock.withLock { done } }
}
