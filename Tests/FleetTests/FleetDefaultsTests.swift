import Foundation
import Testing

/// Workers run as an operator runs them: no `--kafka-option` at all, `--exit-when-idle`, JSON
/// logs. Before the worker had its own consumer defaults, two workers started together waited
/// about 23 s for partitions and, with a shorter idle time, exited 0 having applied nothing; and a
/// pair that left the group together could strand the next pair (joined, never assigned, exit 0).
@Suite(
  .serialized, .timeLimit(.minutes(4)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetDefaultsTests {
  @Test func twoPairsOfWorkersWithDefaultsDrainTwoNightsOneAfterTheOther() async throws {
    let scenario = try FleetScenario(providers: ["canvas", "schoology"])
    try scenario.buildDaysWithReference()
    let nights = scenario.tree.days.count
    let firstNight = 0..<(nights / 2)
    try await scenario.publishDays(firstNight)
    let firstNightFiles = scenario.publisher.published.count

    // First night: two workers started together, with the worker's defaults.
    let started = ContinuousClock.now
    let first = [
      try scenario.startWorker(idle: 4, kafkaOptions: [], extra: ["--log-format", "json"]),
      try scenario.startWorker(idle: 4, kafkaOptions: [], extra: ["--log-format", "json"]),
    ]
    let joined = eventually(timeout: .seconds(30), interval: .milliseconds(50)) {
      first.allSatisfy { $0.log.contains("joined the consumer group") }
    }
    let joinTook = ContinuousClock.now - started
    print("fleet-defaults: two workers held partitions \(joinTook) after start")
    #expect(joined, "\(scenario.processes.logTails)")
    // The issue asks for 5 s on an idle machine; this one is shared by parallel builds.
    #expect(joinTook < .seconds(10), "\(scenario.processes.logTails)")
    for worker in first {
      // 3: a day of the sample holds a file every loader rejects.
      let status = worker.waitForExit(timeout: .seconds(90))
      #expect(status == 0 || status == 3, "\(worker.log.suffix(3000))")
    }
    #expect(try LedgerView(url: scenario.fleetURL).settledFiles == firstNightFiles)

    // Second night: the first pair left together; a new pair of the same group drains it. This
    // pair also sets a consumer option itself, which must not reach its producers.
    try await scenario.publishDays(firstNight.upperBound..<nights)
    let options = ["--kafka-option", "heartbeat.interval.ms=500"]
    let second = [
      try scenario.startWorker(idle: 4, kafkaOptions: options, extra: ["--log-format", "json"]),
      try scenario.startWorker(idle: 4, kafkaOptions: options, extra: ["--log-format", "json"]),
    ]
    for worker in second {
      let status = worker.waitForExit(timeout: .seconds(150))
      #expect(status == 0 || status == 3, "\(worker.log.suffix(3000))")
    }
    #expect(try scenario.waitForSettled(scenario.fileCount, timeout: .seconds(5)))
    try scenario.expectSameAsReference()
    try scenario.expectLedgerOrder()

    for worker in first + second {
      // One stream: every line on stderr is a JSON object, librdkafka's included.
      for line in worker.log.split(separator: "\n") {
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8))
        #expect(object is [String: Any], "not JSON: \(line)")
      }
      // Consumer settings never reach the worker's producers.
      #expect(!worker.log.contains("CONFWARN"), "\(worker.log)")
    }
  }
}
