import Foundation
import Kafka
import Messages
import Store
import Testing

/// No lost dead letters (issue 10, item 9): a rejection whose dead letter the broker never
/// acknowledged — a worker killed between its commit and the broker's answer leaves exactly this
/// in the ledger — is sent by the next workers' sweep, once, however many start together.
@Suite(
  .serialized, .timeLimit(.minutes(3)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS and PostgreSQL (scripts/test.sh)"))
struct FleetDeadLetterTests {
  @Test func aDeadLetterNeverAcknowledgedIsSentOnceByTheNextWorkers() async throws {
    let scenario = try FleetScenario(providers: ["canvas"], partitions: 2)
    let poison = "users/2020-09-19-00-00-00.csv"
    try scenario.tree.write(
      "canvas", poison, "SourceSystemIdentifier,SourceSystemIdentifier\n1,2\n")
    let worker = try scenario.startWorker()
    try await scenario.publisher.publish(try scenario.tree.newFiles())
    #expect(try scenario.waitForSettled(1), "\(scenario.processes.logTails)")
    let deadLetterTopic = TopicName(scenario.topic.rawValue + ".dlq")
    let acknowledged =
      "SELECT COUNT(*) FROM lms.FileLedger WHERE Outcome = 'rejected' AND DeadLetterAckedAt IS NOT NULL"
    #expect(
      try eventually(timeout: .seconds(30)) {
        try LedgerView.count(url: scenario.fleetURL, sql: acknowledged) == 1
      }, "the worker records the broker's acknowledgement")
    #expect(scenario.stopWorkers() == [3], "\(worker.log.suffix(3000))")

    // The state a worker killed after its commit leaves: the acknowledgement never recorded, and
    // its claim as old as the sweep's wait (5 minutes, the default) has made it by now.
    let connection = try DatabaseConnector.open(try DatabaseLocation(url: scenario.fleetURL))
    let forged = try connection.execute(
      """
      UPDATE lms.FileLedger SET DeadLetterAckedAt = NULL,
      DeadLetterClaimedAt = DeadLetterClaimedAt - interval '10 minutes' WHERE Outcome = 'rejected'
      """)
    #expect(forged == 1)

    // Two workers start together; both sweep the ledger at start.
    let next = [try scenario.startWorker(), try scenario.startWorker()]
    #expect(
      try eventually(timeout: .seconds(60)) {
        try LedgerView.count(url: scenario.fleetURL, sql: acknowledged) == 1
      }, "\(scenario.processes.logTails)")
    let letters = try FleetKafka.read(
      deadLetterTopic, brokers: scenario.brokers, count: 3, timeout: .seconds(15))
    #expect(letters.count == 2, "the first worker's, then exactly one more")
    let resent = try #require(letters.last)
    let header = { (name: String) in resent.header(name).map { String(decoding: $0, as: UTF8.self) }
    }
    #expect(header("lmsds-ledger-row") != nil)
    #expect(header("lmsds-reason")?.contains("repeats") == true)
    #expect(header("lmsds-provider") == "canvas")
    #expect(header("lmsds-path") == poison)
    #expect((try? FileMessage.decode(resent.value))?.relativePath == poison)
    #expect(
      next.contains { $0.log.contains("sent a dead letter the ledger owed") },
      "\(scenario.processes.logTails)")
    #expect(try LedgerView(url: scenario.fleetURL).entries.count == 1, "nothing applied again")
    #expect(scenario.stopWorkers() == [0, 0], "\(scenario.processes.logTails)")
  }
}
