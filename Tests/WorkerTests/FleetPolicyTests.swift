import Kafka
import Store
import Testing

@testable import Worker

/// The retry decisions, without a database, a broker or a clock.
@Suite struct FleetPolicyTests {
  @Test func backoffDoublesUpToItsCapAndStartsOverAfterSuccess() {
    var backoff = Backoff(initial: .milliseconds(200), cap: .seconds(1))
    #expect(
      (1...5).map { _ in backoff.nextDelay() } == [
        .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1),
      ])
    backoff.reset()
    #expect(backoff.nextDelay() == .milliseconds(200))
  }

  @Test func anOutageIsRetriedForeverWithGrowingWaits() {
    var policy = RetryPolicy(database: Backoff(initial: .milliseconds(100), cap: .seconds(10)))
    var delays: [Duration] = []
    for _ in 0..<12 {
      guard case .reconnect(let delay) = policy.next(after: .databaseUnavailable) else {
        Issue.record("an outage must never give up")
        return
      }
      delays.append(delay)
    }
    #expect(delays.first == .milliseconds(100))
    #expect(delays.last == .seconds(10))
    #expect(delays == delays.sorted())
    policy.succeeded()
    let afterSuccess = policy.next(after: .databaseUnavailable)
    #expect(afterSuccess == .reconnect(after: .milliseconds(100)))
  }

  @Test func aChangedFileIsLookedAtAgainThenRejected() {
    var policy = RetryPolicy(verificationAttempts: 3, verificationDelay: .seconds(1))
    let actions = (0..<3).map { _ in policy.next(after: .fileMismatch("size")) }
    #expect(actions == [.retry(after: .seconds(1)), .retry(after: .seconds(1)), .reject("size")])
    // The next file gets its own attempts.
    policy.startVerifying()
    let next = policy.next(after: .fileMismatch("sha"))
    #expect(next == .retry(after: .seconds(1)))
  }

  @Test func aRefusedStatementStopsTheWorkerAndAConflictIsRetried() {
    var policy = RetryPolicy()
    #expect(RetryPolicy.failure(for: DatabaseError(.connection, "gone")) == .databaseUnavailable)
    #expect(RetryPolicy.failure(for: DatabaseError(.conflict, "deadlock")) == .databaseConflict)
    guard
      case .stop(let reason) = policy.next(
        after: RetryPolicy.failure(for: DatabaseError(.statement, "bad")))
    else {
      Issue.record("a statement failure outside a file must stop the worker")
      return
    }
    #expect(reason.contains("bad"))
    let conflict = policy.next(after: .databaseConflict)
    #expect(conflict == .retry(after: .milliseconds(50)))
    let broker = policy.next(after: .brokerUnavailable)
    #expect(broker == .retry(after: .milliseconds(200)))
  }

  @Test func offsetsAreCommittedOnlyForPartitionsStillOwnedInTheSameGeneration() {
    var tracker = PartitionTracker()
    let p0 = TopicPartition("t", 0)
    let p1 = TopicPartition("t", 1)
    tracker.assign([p0, p1])
    func message(_ partition: TopicPartition, _ offset: Int64) -> KafkaMessage {
      KafkaMessage(
        topic: partition.topic, partition: partition.partition, offset: Offset(offset), key: nil,
        value: [])
    }
    let a = tracker.stamp(message(p0, 4))
    let b = tracker.stamp(message(p0, 5))
    let c = tracker.stamp(message(p1, 9))
    #expect(tracker.offsetsToCommit(after: [a, b, c]) == [p0: 6, p1: 10])
    // p1 taken away and given back: work stamped before belongs to the old generation.
    tracker.revoke([p1])
    #expect(tracker.offsetsToCommit(after: [a, c]) == [p0: 5])
    tracker.assign([p1])
    #expect(!tracker.isCurrent(c))
    #expect(tracker.isCurrent(tracker.stamp(message(p1, 9))))
    // A message of a partition never assigned is never current.
    #expect(!tracker.isCurrent(tracker.stamp(message(TopicPartition("t", 7), 0))))
  }
}
