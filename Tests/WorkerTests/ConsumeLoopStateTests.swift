import Messages
import Store
import Testing

@testable import Kafka
@testable import Worker

/// `ConsumeLoopState` event by event, the way the consume loop feeds it, with instants made up by
/// the test: no broker, no apply thread, no sleep. Each step checks the actions the loop would do.
@Suite struct ConsumeLoopStateTests: MadeUpInstants {
  let start = ContinuousClock.now

  let p0 = TopicPartition("lms.files", 0)
  let p1 = TopicPartition("lms.files", 1)
  let noRoot = ParkReason(.noSourceRoot, "no source root for provider moodle")

  /// A worker as `lmsds work` runs it, `--exit-when-idle` aside.
  func configuration(exitWhenIdle: Duration? = nil) -> FleetConfiguration {
    FleetConfiguration(
      sourcesDirectory: "/srv/lms", kafka: KafkaConfiguration(), exitWhenIdle: exitWhenIdle)
  }

  func message(_ partition: TopicPartition, _ offset: Int64) -> KafkaMessage {
    KafkaMessage(
      topic: partition.topic, partition: partition.partition, offset: Offset(offset),
      key: Array("moodle".utf8), value: Array("{}".utf8))
  }

  /// Assigned `partitions` at `seconds`, then `offsets` of p0 read and handed over as one batch.
  func running(
    _ state: inout ConsumeLoopState, partitions: [TopicPartition], offsets: [Int64],
    at seconds: Double = 0
  ) -> [PartitionTracker.Stamped] {
    _ = state.handle(.assigned(partitions), at: at(seconds))
    for offset in offsets { _ = state.handle(.polled(message(p0, offset)), at: at(seconds)) }
    return state.handle(.tick, at: at(seconds)).batches.first ?? []
  }

  @Test func whatTheLoopDecodedOnArrivalRidesWithTheBatch() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    _ = state.handle(.assigned([p0]), at: at(0))
    _ = state.handle(.polled(message(p0, 4), decoded: .unusable("not JSON")), at: at(0.1))
    _ = state.handle(.polled(message(p0, 5)), at: at(0.1))
    let batch = state.handle(.tick, at: at(0.2)).batches.first ?? []
    #expect(batch.map(\.message.offset) == [4, 5])
    guard batch.count == 2, case .unusable(let reason) = batch[0].decoded else {
      Issue.record("the decoded content must reach the apply thread")
      return
    }
    #expect(reason == "not JSON")
    #expect(batch[1].decoded == nil)
    // One read of one offset is one message, whatever was decoded of it.
    var undecoded = batch[0]
    undecoded.decoded = nil
    #expect(undecoded == batch[0])
    #expect(Set([undecoded, batch[0]]).count == 1)
  }

  @Test func messagesOfAnAssignedPartitionAreAppliedInOneBatchThenCommittedPastTheLast() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let assigned = state.handle(.assigned([p0]), at: at(0))
    #expect(assigned.logLines == ["joined the consumer group"])
    #expect(state.handle(.polled(message(p0, 4)), at: at(0.1)).isEmpty)
    #expect(state.handle(.polled(message(p0, 5)), at: at(0.1)).isEmpty)

    let batch = state.handle(.tick, at: at(0.2)).batches
    #expect(batch.map { $0.map(\.message.offset) } == [[4, 5]])
    // Nothing to commit, and no second batch, while the apply thread has this one.
    #expect(state.handle(.polled(message(p0, 6)), at: at(0.3)).isEmpty)
    #expect(state.handle(.tick, at: at(0.3)).batches.isEmpty)
    #expect(state.handle(.tick, at: at(0.3)).commits.isEmpty)

    _ = state.handle(.batchFinished(BatchOutcome(done: batch[0])), at: at(1))
    let next = state.handle(.tick, at: at(1))
    #expect(next.commits == [[p0: 6]])
    #expect(next.batches.map { $0.map(\.message.offset) } == [[6]])
    #expect(state.handle(.committed([p0: 6]), at: at(1)).isEmpty)
    #expect(state.handle(.tick, at: at(1.1)).commits.isEmpty)
  }

  @Test func aBatchStopsAtTheTransactionSizeAndTheRestFollows() {
    var settings = configuration()
    settings.maxMessagesPerTransaction = 2
    var state = ConsumeLoopState(configuration: settings, now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [1, 2, 3])
    #expect(batch.map(\.message.offset) == [1, 2])
    // Only the first message got done: the second goes back in front of the third.
    _ = state.handle(.batchFinished(BatchOutcome(done: [batch[0]])), at: at(1))
    let next = state.handle(.tick, at: at(1))
    #expect(next.commits == [[p0: 2]])
    #expect(next.batches.map { $0.map(\.message.offset) } == [[2, 3]])
  }

  @Test func aPartitionRevokedDuringABatchIsNeitherCommittedNorKept() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let batch = running(&state, partitions: [p0, p1], offsets: [1, 2])
    _ = state.handle(.polled(message(p0, 3)), at: at(0.5))
    _ = state.handle(.polled(message(p1, 9)), at: at(0.5))

    let revoked = state.handle(.revoked([p0]), at: at(0.6))
    #expect(revoked.logLines == ["partitions revoked"])
    #expect(!revoked.contains { if case .markMembershipLost = $0 { true } else { false } })
    // The batch was applied, but p0 belongs to the next owner now: it applies 1 and 2 again.
    _ = state.handle(.batchFinished(BatchOutcome(done: batch)), at: at(1))
    let next = state.handle(.tick, at: at(1))
    #expect(next.commits.isEmpty)
    #expect(next.batches.map { $0.map(\.message.topicPartition) } == [[p1]])

    // Assigned again: a new generation, read from the committed offset on.
    _ = state.handle(.assigned([p0]), at: at(2))
    _ = state.handle(.batchFinished(BatchOutcome(done: next.batches[0])), at: at(2))
    _ = state.handle(.polled(message(p0, 1)), at: at(2))
    let again = state.handle(.tick, at: at(2))
    #expect(again.commits == [[p1: 10]])
    #expect(again.batches.map { $0.map(\.message.offset) } == [[1]])
  }

  @Test func lostPartitionsMakeTheMemberUnreadyUntilPartitionsComeBack() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [1])
    let lost = state.handle(.lost([p0]), at: at(1))
    #expect(lost.contains { if case .markMembershipLost = $0 { true } else { false } })
    #expect(lost.logLines == ["partitions lost"])
    #expect(state.membershipLost)
    // A commit for a lost partition would fail, or land under the new owner's feet.
    _ = state.handle(.batchFinished(BatchOutcome(done: batch)), at: at(2))
    #expect(state.handle(.tick, at: at(2)).commits.isEmpty)

    let back = state.handle(.assigned([p0]), at: at(3))
    #expect(back.contains { if case .markJoined = $0 { true } else { false } })
    #expect(back.logLines == ["partitions assigned"])
    #expect(!state.membershipLost)
  }

  @Test func aParkedPartitionIsRetriedAfterTheIntervalThenSoughtBackAndResumed() {
    var settings = configuration()
    settings.parkRetryInterval = .seconds(30)
    var state = ConsumeLoopState(configuration: settings, now: at(0))
    let batch = running(&state, partitions: [p0, p1], offsets: [7, 8])
    _ = state.handle(.polled(message(p0, 9)), at: at(0.5))

    // The first message is done, the second cannot be applied yet: p0 parks at 8.
    let outcome = BatchOutcome(done: [batch[0]], parked: [.init(stamped: batch[1], reason: noRoot)])
    let parked = state.handle(.batchFinished(outcome), at: at(1))
    #expect(parked.pauses == [[p0]])
    #expect(parked.contains { if case .parkedGauge(_, true) = $0 { true } else { false } })
    #expect(state.parked.entries[p0]?.offset == 8)
    // What was read past the park is dropped (a resume reads it again); what was done commits.
    let next = state.handle(.tick, at: at(1))
    #expect(next.commits == [[p0: 8]])
    #expect(next.batches.isEmpty)
    #expect(state.handle(.polled(message(p0, 10)), at: at(2)).isEmpty)
    #expect(state.pending.isEmpty)

    #expect(state.handle(.tick, at: at(30.9)).rechecks.isEmpty)
    #expect(state.handle(.tick, at: at(31)).rechecks == [p0])
    // Still no root: looked at again one interval later, not before.
    _ = state.handle(.parkedMessageChecked(p0, blockedBy: noRoot), at: at(31))
    #expect(state.handle(.tick, at: at(60.9)).rechecks.isEmpty)
    #expect(state.handle(.tick, at: at(61)).rechecks == [p0])

    // The root is there: the partition is sought back to 8 while still paused, then resumed.
    let resolved = state.handle(.parkedMessageChecked(p0, blockedBy: nil), at: at(61))
    #expect(resolved.seeks == [SeekTarget(partition: p0, offset: 8)])
    let resumed = state.handle(.parkedPartitionSought(p0), at: at(61))
    #expect(resumed.resumes == [[p0]])
    #expect(resumed.logLines == ["parked partition resumes"])
    #expect(!state.parked.isParked(p0))
    // A message from before the parked one (fetched before the seek) is dropped; the parked one
    // is applied.
    #expect(state.handle(.polled(message(p0, 7)), at: at(61.1)).isEmpty)
    _ = state.handle(.polled(message(p0, 8)), at: at(61.2))
    #expect(state.pending.map(\.message.offset) == [8])
  }

  @Test func aFailedSeekKeepsThePartitionParkedForAnotherInterval() {
    var settings = configuration()
    settings.parkRetryInterval = .seconds(10)
    var state = ConsumeLoopState(configuration: settings, now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [3])
    _ = state.handle(
      .batchFinished(BatchOutcome(parked: [.init(stamped: batch[0], reason: noRoot)])), at: at(1))
    #expect(state.handle(.tick, at: at(11)).rechecks == [p0])
    _ = state.handle(.parkedMessageChecked(p0, blockedBy: nil), at: at(11))
    let failed = state.handle(.parkedSeekFailed(p0, "broker away"), at: at(11))
    #expect(failed.resumes.isEmpty)
    #expect(state.parked.isParked(p0))
    #expect(state.handle(.tick, at: at(20.9)).rechecks.isEmpty)
    #expect(state.handle(.tick, at: at(21)).rechecks == [p0])
  }

  @Test func aResumedPartitionThatSkipsAheadIsSoughtAgainUnlessRetentionRemovedItsMessage() {
    var settings = configuration()
    settings.parkRetryInterval = .seconds(10)
    var state = ConsumeLoopState(configuration: settings, now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [3])
    _ = state.handle(
      .batchFinished(BatchOutcome(parked: [.init(stamped: batch[0], reason: noRoot)])), at: at(1))
    _ = state.handle(.parkedMessageChecked(p0, blockedBy: nil), at: at(11))
    _ = state.handle(.parkedPartitionSought(p0), at: at(11))

    #expect(state.handle(.polled(message(p0, 5)), at: at(12)).lowWatermarkReads == [5])
    let again = state.handle(.lowWatermarkRead(message(p0, 5), low: 0), at: at(12))
    #expect(again.plainSeeks == [SeekTarget(partition: p0, offset: 3)])
    #expect(state.pending.isEmpty)
    // Retention removed 3 and 4: the partition goes on from 5 rather than waiting for good.
    _ = state.handle(.polled(message(p0, 5)), at: at(13))
    let gone = state.handle(.lowWatermarkRead(message(p0, 5), low: 5), at: at(13))
    #expect(gone.plainSeeks.isEmpty)
    #expect(state.pending.map(\.message.offset) == [5])
  }

  @Test func aStopRequestedMidBatchWaitsForTheBatchThenCommitsAndExits() throws {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [1, 2])
    _ = state.handle(.polled(message(p0, 3)), at: at(0.5))
    #expect(state.handle(.stopRequested, at: at(0.5)).isEmpty)
    #expect(state.handle(.tick, at: at(0.6)).exits.isEmpty)

    let rejected = try result(.rejected)
    _ = state.handle(
      .batchFinished(BatchOutcome(done: batch, results: [rejected, rejected])), at: at(1))
    let last = state.handle(.tick, at: at(1))
    // No new batch for 3: its next owner (or the next run) applies it.
    #expect(last.batches.isEmpty)
    #expect(last.finalCommits == [[p0: 3]])
    let exit = try #require(last.exits.first)
    #expect(exit.reason == .shutdown)
    #expect(exit.filesApplied == 2)
    #expect(exit.exitCode == 3)
  }

  @Test func aStopRequestedWhileIdleExitsAtTheNextTurn() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    _ = state.handle(.assigned([p0]), at: at(0))
    _ = state.handle(.stopRequested, at: at(1))
    let exits = state.handle(.tick, at: at(1)).exits
    #expect(exits.map(\.reason) == [.shutdown])
    #expect(exits.first?.exitCode == 0)
  }

  @Test func aBatchThatStopsTheWorkerExitsWithStatusOneAfterCommittingWhatWasDone() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [1, 2])
    var outcome = BatchOutcome(done: [batch[0]])
    outcome.stopReason = "the database refused the schema"
    let finished = state.handle(.batchFinished(outcome), at: at(1))
    #expect(finished.logLines == ["worker stops"])
    let last = state.handle(.tick, at: at(1))
    #expect(last.finalCommits == [[p0: 2]])
    #expect(last.exits.map(\.reason) == [.stopped("the database refused the schema")])
  }

  @Test func aFailedCommitIsRetriedAfterABackoffAndOnceMoreBeforeLeaving() {
    var settings = configuration()
    settings.brokerBackoff = Backoff(initial: .seconds(1), cap: .seconds(4))
    var state = ConsumeLoopState(configuration: settings, now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [1])
    _ = state.handle(.batchFinished(BatchOutcome(done: batch)), at: at(1))
    #expect(state.handle(.tick, at: at(1)).commits == [[p0: 2]])
    #expect(
      state.handle(.commitFailed("coordinator away"), at: at(1)).logLines == [
        "offset commit failed; will retry"
      ])
    #expect(state.handle(.tick, at: at(1.9)).commits.isEmpty)
    #expect(state.handle(.tick, at: at(2)).commits == [[p0: 2]])
    _ = state.handle(.commitFailed("coordinator away"), at: at(2))
    #expect(state.handle(.tick, at: at(3.9)).commits.isEmpty)

    _ = state.handle(.stopRequested, at: at(3.95))
    let last = state.handle(.tick, at: at(3.95))
    #expect(last.commits.isEmpty)
    #expect(last.finalCommits == [[p0: 2]])
    #expect(last.exits.map(\.reason) == [.shutdown])
  }

  @Test func oneCommitIsOutstandingAtATimeAndItsAnswerClearsOnlyWhatItCommitted() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let first = running(&state, partitions: [p0, p1], offsets: [4])
    _ = state.handle(.polled(message(p0, 5)), at: at(0.5))
    _ = state.handle(.polled(message(p1, 1)), at: at(0.5))
    _ = state.handle(.batchFinished(BatchOutcome(done: first)), at: at(1))
    let next = state.handle(.tick, at: at(1))
    #expect(next.commits == [[p0: 5]])
    #expect(state.commitOutstandingSince == at(1))
    // More work becomes durable meanwhile: it waits for the answer, no second request.
    _ = state.handle(.batchFinished(BatchOutcome(done: next.batches[0])), at: at(2))
    #expect(state.handle(.tick, at: at(2)).commits.isEmpty)
    #expect(state.handle(.committed([p0: 5]), at: at(3)).isEmpty)
    #expect(state.uncommitted == [p0: 6, p1: 2], "a newer offset of p0 still waits")
    #expect(state.handle(.tick, at: at(3)).commits == [[p0: 6, p1: 2]])
    _ = state.handle(.committed([p0: 6, p1: 2]), at: at(4))
    #expect(state.uncommitted.isEmpty)
    #expect(state.commitOutstandingSince == nil)
    #expect(state.handle(.tick, at: at(4)).commits.isEmpty)
  }

  @Test func aPartlyFailedCommitKeepsWhatFailedAndStartsThePausesOverOnceOneSucceeds() {
    var settings = configuration()
    settings.brokerBackoff = Backoff(initial: .seconds(1), cap: .seconds(8))
    var state = ConsumeLoopState(configuration: settings, now: at(0))
    let first = running(&state, partitions: [p0, p1], offsets: [4])
    _ = state.handle(.polled(message(p1, 1)), at: at(0.5))
    _ = state.handle(.batchFinished(BatchOutcome(done: first)), at: at(1))
    let next = state.handle(.tick, at: at(1))
    _ = state.handle(.batchFinished(BatchOutcome(done: next.batches[0])), at: at(1.5))
    _ = state.handle(.committed([p0: 5]), at: at(1.5))
    #expect(state.handle(.tick, at: at(1.5)).commits == [[p1: 2]])
    _ = state.handle(.commitFailed("coordinator moved", committed: [:]), at: at(2))
    #expect(state.handle(.tick, at: at(2.9)).commits.isEmpty)
    #expect(state.handle(.tick, at: at(3)).commits == [[p1: 2]])
    // Could not even be sent: the pause grows.
    _ = state.handle(.commitFailed("no coordinator"), at: at(3))
    #expect(state.handle(.tick, at: at(4.9)).commits.isEmpty)
    #expect(state.handle(.tick, at: at(5)).commits == [[p1: 2]])
    _ = state.handle(.committed([p1: 2]), at: at(5))
    #expect(state.uncommitted.isEmpty)
    // A success starts the pauses over.
    _ = state.handle(.polled(message(p0, 5)), at: at(5.5))
    let later = state.handle(.tick, at: at(5.5)).batches
    _ = state.handle(.batchFinished(BatchOutcome(done: later[0])), at: at(6))
    #expect(state.handle(.tick, at: at(6)).commits == [[p0: 6]])
    _ = state.handle(.commitFailed("coordinator moved"), at: at(6))
    #expect(state.handle(.tick, at: at(6.9)).commits.isEmpty)
    #expect(state.handle(.tick, at: at(7)).commits == [[p0: 6]])
  }

  @Test func aCommitLeftUnansweredIsSentAgainAfterThirtySecondsAndOnceMoreBeforeLeaving() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [1])
    _ = state.handle(.batchFinished(BatchOutcome(done: batch)), at: at(1))
    #expect(state.handle(.tick, at: at(1)).commits == [[p0: 2]])
    #expect(state.handle(.tick, at: at(30.9)).commits.isEmpty)
    #expect(state.handle(.tick, at: at(31)).commits == [[p0: 2]])
    #expect(state.handle(.tick, at: at(31.1)).commits.isEmpty)

    _ = state.handle(.stopRequested, at: at(32))
    let last = state.handle(.tick, at: at(32))
    #expect(last.commits.isEmpty)
    #expect(last.finalCommits == [[p0: 2]])
    #expect(last.exits.map(\.reason) == [.shutdown])
  }

  @Test func aCommitAnswerReadAfterAPollBecomesCommittedOrCommitFailed() {
    let done = ConsumeEvent(OffsetCommitResult(committed: [p0: 2], error: nil))
    guard case .committed(let offsets) = done else {
      Issue.record("expected committed, got \(done)")
      return
    }
    #expect(offsets == [p0: 2])
    let failed = ConsumeEvent(
      OffsetCommitResult(committed: [p1: 3], error: KafkaError.invalidArgument("p0 failed")))
    guard case .commitFailed(_, let partly) = failed else {
      Issue.record("expected commitFailed, got \(failed)")
      return
    }
    #expect(partly == [p1: 3])
  }

  @Test func aFailedRebalanceMakesTheMemberUnreadyUntilPartitionsAreAssignedAgain() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    _ = state.handle(.assigned([p0]), at: at(0))
    let failed = state.handle(
      .rebalanceFailed(KafkaError.invalidArgument("incremental assign")), at: at(1))
    #expect(failed.contains { if case .markMembershipLost = $0 { true } else { false } })
    #expect(failed.logLines == ["rebalance failed"])
    #expect(state.membershipLost)
    let again = state.handle(
      .rebalanceFailed(KafkaError.invalidArgument("incremental assign")), at: at(1.5))
    #expect(!again.contains { if case .markMembershipLost = $0 { true } else { false } })

    let back = state.handle(.assigned([p0]), at: at(2))
    #expect(back.contains { if case .markJoined = $0 { true } else { false } })
    #expect(!state.membershipLost)
  }

  @Test func tooManyWaitingMessagesPauseTheUnparkedPartitionsUntilTheyAreTakenIn() {
    var settings = configuration()
    settings.maxBufferedMessages = 3
    settings.maxMessagesPerTransaction = 1
    var state = ConsumeLoopState(configuration: settings, now: at(0))
    let batch = running(&state, partitions: [p0, p1], offsets: [1])
    for offset: Int64 in 2...4 { _ = state.handle(.polled(message(p0, offset)), at: at(0.1)) }
    #expect(state.handle(.tick, at: at(0.2)).pauses == [[p0, p1]])
    // Partitions assigned while paused start paused.
    let p2 = TopicPartition("lms.files", 2)
    #expect(state.handle(.assigned([p2]), at: at(0.3)).pauses == [[p2]])

    _ = state.handle(.batchFinished(BatchOutcome(done: batch)), at: at(1))
    #expect(state.handle(.tick, at: at(1)).resumes == [[p0, p1, p2]])
  }

  @Test func withExitWhenIdleTheWorkerExitsOnlyOnceItsPartitionsAreAtTheirEnd() throws {
    var state = ConsumeLoopState(
      configuration: configuration(exitWhenIdle: .seconds(5)), now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [1], at: 1)
    _ = state.handle(.batchFinished(BatchOutcome(done: batch)), at: at(2))
    _ = state.handle(.tick, at: at(2))
    _ = state.handle(.committed([p0: 2]), at: at(2))

    #expect(state.handle(.tick, at: at(6.9)).drainProbes.isEmpty)
    #expect(state.handle(.tick, at: at(7)).drainProbes == [[p0]])
    // The broker says p0 still has messages (not fetched yet): not drained.
    #expect(state.handle(.drainObserved(.holding(atEnd: false)), at: at(7)).isEmpty)
    #expect(state.handle(.tick, at: at(8)).drainProbes.isEmpty)
    #expect(state.handle(.tick, at: at(9)).drainProbes == [[p0]])
    let drained = state.handle(.drainObserved(.holding(atEnd: true)), at: at(9))
    #expect(drained.logLines.first?.hasPrefix("drained:") == true)
    let exit = try #require(drained.exits.first)
    #expect(exit.reason == .idle)
    #expect(exit.filesApplied == 0)
    #expect(exit.exitCode == 0)
  }

  @Test func aMemberHoldingNoPartitionWhileTheGroupHasLagRejoinsThenExitsStranded() {
    var settings = configuration(exitWhenIdle: .seconds(5))
    settings.strandedLimit = .seconds(60)
    var state = ConsumeLoopState(configuration: settings, now: at(0))
    // Never assigned: the group's join is slow or stranded this member. Not idle while lag exists.
    #expect(state.handle(.tick, at: at(5)).drainProbes == [[]])
    #expect(state.handle(.drainObserved(.holdingNothing(groupLag: 40)), at: at(5)).isEmpty)
    #expect(state.handle(.tick, at: at(20)).drainProbes == [[]])
    let rejoin = state.handle(.drainObserved(.holdingNothing(groupLag: 40)), at: at(20))
    #expect(rejoin.contains { if case .rejoin = $0 { true } else { false } })
    #expect(rejoin.exits.isEmpty)

    #expect(state.handle(.tick, at: at(60)).drainProbes == [[]])
    let stranded = state.handle(.drainObserved(.holdingNothing(groupLag: 40)), at: at(60))
    #expect(stranded.exits.map(\.exitCode) == [1])
    guard case .stopped(let why) = stranded.exits.first?.reason else {
      Issue.record("not a stop: \(stranded.exits)")
      return
    }
    #expect(why.contains("while the group has 40 messages to apply"))
  }

  @Test func aMemberDrainedButForAParkedPartitionExitsWithStatusOneNamingIt() {
    var settings = configuration(exitWhenIdle: .seconds(5))
    settings.parkRetryInterval = .seconds(600)
    var state = ConsumeLoopState(configuration: settings, now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [4])
    _ = state.handle(
      .batchFinished(BatchOutcome(parked: [.init(stamped: batch[0], reason: noRoot)])), at: at(1))
    #expect(state.handle(.tick, at: at(6)).drainProbes == [[p0]])
    let exits = state.handle(.drainObserved(.holding(atEnd: true)), at: at(6)).exits
    #expect(exits.map(\.exitCode) == [1])
    guard case .stopped(let why) = exits.first?.reason else {
      Issue.record("not a stop: \(exits)")
      return
    }
    #expect(why.contains("parked at offset 4"))
  }

  @Test func aFatalClientErrorEndsTheLoopOnceTheBatchInFlightIsDone() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [1])
    let fatal = KafkaError(rawCode: -150, message: "fenced", isFatal: true)
    let failed = state.handle(.pollFailed(fatal), at: at(0.5))
    #expect(failed.exits.isEmpty)
    #expect(failed.contains { if case .wait = $0 { true } else { false } })
    _ = state.handle(.batchFinished(BatchOutcome(done: batch)), at: at(1))
    let last = state.handle(.tick, at: at(1))
    #expect(last.finalCommits == [[p0: 2]])
    #expect(last.exits.map(\.exitCode) == [1])
  }

  @Test func transientPollErrorsAreLoggedOnceEveryFiveSeconds() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let transient = KafkaError(rawCode: -195, message: "broker transport failure")
    #expect(state.handle(.pollFailed(transient), at: at(0)).logLines.count == 1)
    #expect(state.handle(.pollFailed(transient), at: at(4)).logLines.isEmpty)
    #expect(state.handle(.pollFailed(transient), at: at(5.1)).logLines.count == 1)
  }

  @Test func aBatchGivenUpForAStopCommitsOnlyWhatWasDone() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [1, 2, 3])
    _ = state.handle(.stopRequested, at: at(0.5))
    var outcome = BatchOutcome(done: [batch[0]])
    outcome.abandoned = true
    _ = state.handle(.batchFinished(outcome), at: at(1))
    let last = state.handle(.tick, at: at(1))
    #expect(last.batches.isEmpty)
    #expect(last.finalCommits == [[p0: 2]])
    #expect(last.exits.map(\.reason) == [.shutdown])
  }

  @Test func aParkedPartitionThatMovesAwayAndComesBackIsNotLeftPaused() {
    var state = ConsumeLoopState(configuration: configuration(), now: at(0))
    let batch = running(&state, partitions: [p0], offsets: [5])
    _ = state.handle(
      .batchFinished(BatchOutcome(parked: [.init(stamped: batch[0], reason: noRoot)])), at: at(1))
    let revoked = state.handle(.revoked([p0]), at: at(2))
    #expect(revoked.contains { if case .parkedGauge(_, false) = $0 { true } else { false } })
    #expect(revoked.logLines.contains("parked partition moved away"))
    #expect(!state.parked.isParked(p0))
    // Its next generation here reads from the committed offset, unpaused.
    #expect(state.handle(.assigned([p0]), at: at(3)).resumes == [[p0]])
    #expect(state.handle(.tick, at: at(40)).rechecks.isEmpty)
  }

  @Test func rebalanceCallbacksBecomeAssignedRevokedOrLost() {
    let partitions = [p0, p1]
    guard case .lost(partitions) = ConsumeEvent(.revoked(partitions, lost: true)),
      case .revoked(partitions) = ConsumeEvent(.revoked(partitions, lost: false)),
      case .assigned(partitions) = ConsumeEvent(.assigned(partitions))
    else {
      Issue.record("a rebalance event turned into the wrong consume event")
      return
    }
  }

  func result(_ outcome: FileOutcome) throws -> ApplyResult {
    ApplyResult(
      entry: LedgerEntry(
        provider: "moodle", resource: .users, relativePath: "users/users-2024.csv",
        sha256: .repeating("a"),
        size: 10, nameTimestamp: try #require(NameTimestamp("2024-01-02 03:04:05")), scopeKey: "",
        outcome: outcome, startedAt: "2024-01-02 03:04:05"))
  }
}
