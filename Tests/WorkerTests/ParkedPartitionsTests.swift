import Kafka
import Testing

@testable import Worker

/// `ParkedPartitions` step by step, with instants made up by the test: no broker, no sleep.
@Suite struct ParkedPartitionsTests: MadeUpInstants {
  let start = ContinuousClock.now

  let p0 = TopicPartition("lms.files", 0)
  let p1 = TopicPartition("lms.files", 1)
  let noRoot = ParkReason(.noSourceRoot, "no source root for provider moodle")
  let newer = ParkReason(.unsupportedVersion, "unsupported message version 2.0")

  func message(_ partition: TopicPartition, _ offset: Int64, key: String = "moodle") -> KafkaMessage
  {
    KafkaMessage(
      topic: partition.topic, partition: partition.partition, offset: Offset(offset),
      key: Array(key.utf8), value: Array("{}".utf8))
  }

  @Test func aParkedPartitionIsDueOnlyAfterTheRetryInterval() {
    var parked = ParkedPartitions(retryInterval: .seconds(30))
    #expect(parked.park(p0, at: 7, message: message(p0, 7), reason: noRoot, now: at(0)) == .parked)
    #expect(parked.isParked(p0) && !parked.isParked(p1))
    #expect(parked.due(now: at(29.9)).isEmpty)
    #expect(parked.due(now: at(30)).map(\.partition) == [p0])
    #expect(parked.entries[p0]?.provider == "moodle")
  }

  @Test func aRetryThatFindsTheMessageStillBlockedWaitsAnotherInterval() {
    var parked = ParkedPartitions(retryInterval: .seconds(30))
    _ = parked.park(p0, at: 7, message: message(p0, 7), reason: noRoot, now: at(0))
    #expect(parked.stillBlocked(p0, reason: noRoot, now: at(30)) == .unchanged)
    #expect(parked.due(now: at(59)).isEmpty)
    #expect(parked.due(now: at(60)).map(\.partition) == [p0])
    // The root came, but the message turns out to be of a version this worker does not know.
    #expect(parked.stillBlocked(p0, reason: newer, now: at(60)) == .reasonChanged)
    #expect(parked.entries[p0]?.reason == newer)
    #expect(parked.entries[p0]?.since == at(0), "parked since the first park")
  }

  @Test func parkingAgainAtTheSameOffsetIsNotANewPark() {
    var parked = ParkedPartitions(retryInterval: .seconds(30))
    _ = parked.park(p0, at: 7, message: message(p0, 7), reason: noRoot, now: at(0))
    #expect(
      parked.park(p0, at: 7, message: message(p0, 7), reason: noRoot, now: at(5)) == .unchanged)
    #expect(parked.due(now: at(34)).isEmpty, "the retry clock starts over")
    #expect(
      parked.park(p0, at: 7, message: message(p0, 7), reason: newer, now: at(6)) == .reasonChanged)
    // Resumed, then parked again further on: a new park.
    #expect(parked.resume(p0)?.offset == 7)
    #expect(
      parked.park(p0, at: 12, message: message(p0, 12), reason: noRoot, now: at(40)) == .parked)
    #expect(parked.entries[p0]?.since == at(40))
  }

  @Test func resumingReturnsWhereThePartitionStopped() {
    var parked = ParkedPartitions(retryInterval: .seconds(30))
    // The parked message is at 9, but an earlier message (8) of the batch was not finished.
    _ = parked.park(p0, at: 8, message: message(p0, 9), reason: noRoot, now: at(0))
    let entry = parked.resume(p0)
    #expect(entry?.offset == 8)
    #expect(entry?.message.offset == 9)
    #expect(!parked.isParked(p0) && parked.isEmpty)
    #expect(parked.resume(p0) == nil)
  }

  @Test func revokedPartitionsAreForgottenOthersStay() {
    var parked = ParkedPartitions(retryInterval: .seconds(30))
    _ = parked.park(p0, at: 7, message: message(p0, 7), reason: noRoot, now: at(0))
    _ = parked.park(p1, at: 3, message: message(p1, 3, key: "d2l"), reason: newer, now: at(1))
    #expect(parked.forget([p0, TopicPartition("lms.files", 5)]).map(\.partition) == [p0])
    #expect(parked.partitions == [p1])
    #expect(parked.stillBlocked(p0, reason: noRoot, now: at(2)) == .unchanged)
    #expect(parked.partitions == [p1], "a retry of a forgotten partition does not bring it back")
  }

  @Test func dueEntriesComeOldestParkFirstAndTheSummaryNamesEach() {
    var parked = ParkedPartitions(retryInterval: .seconds(10))
    _ = parked.park(p1, at: 3, message: message(p1, 3, key: "d2l"), reason: newer, now: at(0))
    _ = parked.park(p0, at: 7, message: message(p0, 7), reason: noRoot, now: at(1))
    #expect(parked.due(now: at(10)).map(\.partition) == [p1])
    #expect(parked.due(now: at(11)).map(\.partition) == [p1, p0])
    #expect(
      parked.summary == [
        "lms.files[0] parked at offset 7 (no_source_root): no source root for provider moodle",
        "lms.files[1] parked at offset 3 (unsupported_version): unsupported message version 2.0",
      ])
  }
}
