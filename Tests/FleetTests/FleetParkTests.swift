import ExtractorTree
import Foundation
import Kafka
import Testing

/// Issue 10, item 5: a provider whose root is not mounted parks only its partition. The worker
/// keeps applying another provider's files on another partition, says what is parked on
/// `/readyz` and `/metrics`, and, once the root appears, applies the parked files without a
/// restart — each once, in order, to the same database the embedded load builds.
@Suite(
  .serialized, .timeLimit(.minutes(4)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetParkTests {
  @Test func aParkedPartitionResumesWhenItsRootAppearsWhileAnotherProvidersFilesKeepFlowing()
    async throws
  {
    // Two providers whose keys land on different partitions of two.
    let parked = "canvas"
    let parkedPartition = Murmur2Partitioner.partition(forKey: parked, partitionCount: 2)
    let flowing = try #require(
      ["schoology", "d2l", "moodle", "blackboard"].first {
        Murmur2Partitioner.partition(forKey: $0, partitionCount: 2) != parkedPartition
      })
    let scenario = try FleetScenario(providers: [parked, flowing], partitions: 2)
    try scenario.buildDaysWithReference()
    let days = scenario.dayFiles.count
    #expect(days >= 2)
    func count(_ provider: String, in days: Range<Int>) -> Int {
      scenario.dayFiles[days].joined().filter { $0.provider.rawValue == provider }.count
    }

    // The parked provider's root is not mounted when the worker starts.
    let root = scenario.tree.path(parked)
    let aside = scenario.tree.root + "-aside-\(parked)"
    try FileManager.default.moveItem(atPath: root, toPath: aside)
    defer { try? FileManager.default.removeItem(atPath: aside) }
    let worker = try scenario.startWorker(extra: ["--http-port", "0", "--park-retry", "1"])
    let client = try StatusClient.discover(worker)

    // Day 1: the flowing provider's files load; the parked one's park its partition.
    try await scenario.publishDays(0..<1)
    func settled(_ provider: String) throws -> Int {
      Set(
        try LedgerView(url: scenario.fleetURL).entries.filter {
          $0.provider.rawValue == provider && $0.outcome != .published
        }.map(\.relativePath)
      ).count
    }
    #expect(
      try eventually(timeout: .seconds(90)) {
        try settled(flowing) == count(flowing, in: 0..<1)
      }, "\(scenario.processes.logTails)")
    let parkedLine = "\(scenario.topic)[\(parkedPartition)] parked at offset 0 (no_source_root)"
    let noticed = try await eventuallyAsync(timeout: .seconds(30)) {
      try await client.get("/readyz").body.contains(parkedLine)
    }
    #expect(noticed, "\(scenario.processes.logTails)")
    let readyz = try await client.get("/readyz")
    #expect(readyz.status == 200, "a parked partition leaves the worker ready: \(readyz.body)")
    #expect(readyz.body.hasPrefix("ok\n"))
    #expect(readyz.body.contains("no source root for provider \(parked)"), "\(readyz.body)")
    #expect(
      try await client.metric(
        "lmsds_partition_parked",
        ["partition": "\(parkedPartition)", "provider": parked, "reason": "no_source_root"]) == 1)

    // The other days: the flowing provider keeps loading while the partition stays parked.
    try await scenario.publishDays(1..<days)
    #expect(
      try eventually(timeout: .seconds(90)) {
        try settled(flowing) == count(flowing, in: 0..<days)
      }, "\(scenario.processes.logTails)")
    #expect(try settled(parked) == 0, "nothing of the parked provider applied without its root")
    let committed = try KafkaAdmin(configuration: FleetKafka.configuration(scenario.brokers))
      .committedOffsets(group: scenario.group, topic: scenario.topic)
    #expect(
      committed[parkedPartition].map { !$0.isConcrete || $0 == 0 } ?? true,
      "nothing committed past the parked message: \(committed)")
    #expect(try await client.metric("lmsds_partition_parked") == 1)

    // The root appears: the parked files load, with no restart.
    try FileManager.default.moveItem(atPath: aside, toPath: root)
    #expect(
      try scenario.waitForSettled(scenario.fileCount, timeout: .seconds(120)),
      "\(scenario.processes.logTails)")
    #expect(worker.isRunning)
    let cleared = try await eventuallyAsync(timeout: .seconds(10)) {
      try await client.get("/readyz") == (200, "ok\n")
    }
    #expect(cleared)
    #expect(try await client.metric("lmsds_partition_parked") == 0)
    let log = worker.log
    #expect(
      log.components(separatedBy: "partition parked:").count - 1 == 1,
      "the park is logged once, not at every retry")
    #expect(log.contains("parked partition resumes"))
    // The seek back to the parked message took (the loop's guard against a skip never fired).
    #expect(!log.contains("skipped ahead"), "\(log.suffix(3000))")

    // Each file once, in the published order per provider; the same data as the embedded load.
    try scenario.expectLedgerOrder()
    try scenario.expectSameAsReference()
    #expect(scenario.stopWorkers() == [0], "\(worker.log.suffix(3000))")
  }

  /// A cron-style worker (`--exit-when-idle`) that can only park does not report the night as
  /// done: status 1, and its last words name the partition and the missing root.
  @Test func anIdleWorkerWithAParkedPartitionExitsOneNamingIt() async throws {
    let scenario = try FleetScenario(providers: ["canvas"], partitions: 2)
    try scenario.buildDaysWithReference(0..<1)
    try FileManager.default.removeItem(atPath: scenario.tree.path("canvas"))
    let worker = try scenario.startWorker(idle: 3)
    try await scenario.publishDays()
    let status = worker.waitForExit(timeout: .seconds(90))
    #expect(status == 1, "\(worker.log.suffix(3000))")
    let partition = Murmur2Partitioner.partition(forKey: "canvas", partitionCount: 2)
    let lastLines = worker.log.split(separator: "\n").suffix(3).joined(separator: "\n")
    #expect(
      lastLines.contains("\(scenario.topic)[\(partition)] parked at offset 0 (no_source_root)"),
      "\(lastLines)")
    #expect(lastLines.contains("no source root for provider canvas"), "\(lastLines)")
    #expect(try LedgerView(url: scenario.fleetURL).entries.isEmpty)
  }
}
