import Testing

@testable import Kafka
@testable import Worker

/// The consume loop's offset commits, without a broker or a clock (issue 10, item 10).
struct OffsetCommitScheduleTests {
  let p0 = TopicPartition("lms.files", 0)
  let p1 = TopicPartition("lms.files", 1)
  let start = ContinuousClock.now

  @Test func oneCommitIsOutstandingAtATimeAndItsAnswerClearsWhatItCommitted() {
    var schedule = OffsetCommitSchedule(backoff: Backoff(initial: .seconds(1), cap: .seconds(8)))
    var uncommitted: [TopicPartition: Offset] = [p0: 5]
    #expect(schedule.offsetsToSend(uncommitted, now: start) == [p0: 5])
    #expect(schedule.isOutstanding)
    // More work becomes durable meanwhile: it waits for the answer, no second request.
    uncommitted[p0] = 7
    uncommitted[p1] = 2
    #expect(schedule.offsetsToSend(uncommitted, now: start + .seconds(1)) == nil)
    let delay = schedule.answered(
      OffsetCommitResult(committed: [p0: 5], error: nil), uncommitted: &uncommitted,
      now: start + .seconds(2))
    #expect(delay == nil)
    #expect(uncommitted == [p0: 7, p1: 2], "a newer offset of p0 still waits")
    #expect(schedule.offsetsToSend(uncommitted, now: start + .seconds(2)) == [p0: 7, p1: 2])
    _ = schedule.answered(
      OffsetCommitResult(committed: [p0: 7, p1: 2], error: nil), uncommitted: &uncommitted,
      now: start + .seconds(3))
    #expect(uncommitted.isEmpty)
    #expect(schedule.offsetsToSend(uncommitted, now: start + .seconds(3)) == nil)
  }

  @Test func aFailedCommitIsSentAgainAfterAGrowingPause() {
    var schedule = OffsetCommitSchedule(backoff: Backoff(initial: .seconds(1), cap: .seconds(8)))
    var uncommitted: [TopicPartition: Offset] = [p0: 5]
    let failure = OffsetCommitResult(
      committed: [:], error: KafkaError.invalidArgument("coordinator not available"))
    _ = schedule.offsetsToSend(uncommitted, now: start)
    #expect(schedule.answered(failure, uncommitted: &uncommitted, now: start) == .seconds(1))
    #expect(uncommitted == [p0: 5])
    #expect(schedule.offsetsToSend(uncommitted, now: start + .milliseconds(999)) == nil)
    #expect(schedule.offsetsToSend(uncommitted, now: start + .seconds(1)) == [p0: 5])
    #expect(schedule.failed(now: start + .seconds(1)) == .seconds(2), "could not even be sent")
    #expect(schedule.offsetsToSend(uncommitted, now: start + .seconds(2)) == nil)
    #expect(schedule.offsetsToSend(uncommitted, now: start + .seconds(3)) == [p0: 5])
    // A success starts the pauses over.
    _ = schedule.answered(
      OffsetCommitResult(committed: [p0: 5], error: nil), uncommitted: &uncommitted,
      now: start + .seconds(4))
    uncommitted = [p0: 6]
    _ = schedule.offsetsToSend(uncommitted, now: start + .seconds(4))
    #expect(
      schedule.answered(failure, uncommitted: &uncommitted, now: start + .seconds(5)) == .seconds(1)
    )
  }

  @Test func aCommitLeftUnansweredIsSentAgainAfterPatience() {
    var schedule = OffsetCommitSchedule(backoff: Backoff(), patience: .seconds(30))
    let uncommitted: [TopicPartition: Offset] = [p0: 5]
    #expect(schedule.offsetsToSend(uncommitted, now: start) != nil)
    #expect(schedule.offsetsToSend(uncommitted, now: start + .seconds(29)) == nil)
    #expect(schedule.offsetsToSend(uncommitted, now: start + .seconds(30)) == [p0: 5])
  }
}
