import Foundation
import Kafka
import Messages
import Testing

/// A malformed file is rejected (ledger and dead-letter message with the reason) and the
/// provider's later files still apply; an older file found after a newer one is `superseded`.
@Suite(
  .serialized, .timeLimit(.minutes(3)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetPoisonTests {
  @Test func poisonIsRejectedAndAnOlderFileIsSuperseded() async throws {
    let scenario = try FleetScenario(providers: ["canvas", "d2l"], partitions: 2)
    let days = scenario.tree.days.count
    try scenario.buildDaysWithReference(0..<2)
    // Day 3 of canvas brings a malformed users file (a repeated header name), newer than every
    // users file applied so far; later days bring good ones.
    let poison = "users/2020-09-19-00-00-00.csv"
    try scenario.tree.write(
      "canvas", poison, "SourceSystemIdentifier,SourceSystemIdentifier\n1,2\n")
    try scenario.buildDaysWithReference(2..<days)
    #expect(scenario.dayFiles[2].contains { $0.relativePath == poison })
    let worker = try scenario.startWorker()
    try await scenario.publishDays()
    #expect(try scenario.waitForSettled(scenario.fileCount), "\(scenario.processes.logTails)")

    let ledger = try LedgerView(url: scenario.fleetURL)
    let rejected = ledger.entries.filter { $0.outcome == .rejected }
    #expect(rejected.map(\.relativePath) == [poison])
    #expect(rejected.first?.message?.contains("repeats") == true)
    let letters = try FleetKafka.read(
      TopicName(scenario.topic.rawValue + ".dlq"), brokers: scenario.brokers, count: 1)
    #expect(letters.count == 1)
    #expect(
      letters.first.flatMap { $0.header("lmsds-reason") }.map {
        String(decoding: $0, as: UTF8.self).contains("repeats")
      } == true)
    #expect(letters.first.flatMap { $0.header("lmsds-provider") } == Array("canvas".utf8))
    #expect(letters.first.flatMap { $0.header("lmsds-path") } == Array(poison.utf8))
    #expect(letters.first.map { (try? FileMessage.decode($0.value))?.relativePath } == poison)
    // Later files of canvas applied: the database equals the embedded load's, which rejected it too.
    try scenario.expectSameAsReference()

    // A producer run that finds an older sections file than the newest applied: superseded.
    let before = try DatabaseSnapshot(url: scenario.fleetURL)
    try scenario.tree.copy(
      "sections/2020-09-17-15-04-23.csv", for: "canvas", as: "sections/2020-09-16-00-00-00.csv")
    let older = try scenario.tree.newFiles()
    #expect(older.map(\.relativePath) == ["sections/2020-09-16-00-00-00.csv"])
    try await scenario.publisher.publish(older)
    #expect(try scenario.waitForSettled(scenario.fileCount + 1), "\(scenario.processes.logTails)")
    let last = try LedgerView(url: scenario.fleetURL).entries.last
    #expect(last?.relativePath == "sections/2020-09-16-00-00-00.csv")
    #expect(last?.outcome == .superseded)
    let rollback = try DatabaseSnapshot(url: scenario.fleetURL).difference(from: before)
    #expect(rollback == nil, "an older file must never roll back")

    // The worker recorded a rejection: SIGTERM ends it with status 3.
    #expect(scenario.stopWorkers() == [3], "\(worker.log.suffix(3000))")
  }
}
