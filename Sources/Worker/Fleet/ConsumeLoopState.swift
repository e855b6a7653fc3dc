import Kafka
import Logging

/// Every decision of the consume loop, without its I/O: which messages are applied in which
/// batch, what is committed when, which partitions are paused, parked or resumed, and when the
/// worker exits. The loop (`ConsumeLoop`) turns what the consumer and the apply thread report into
/// `ConsumeEvent`s, with the current instant, and does the `ConsumeAction`s it gets back; so the
/// rules are tested event by event with made-up instants, without a broker or a sleep.
///
/// The rules it keeps (see `ConsumeLoop` for why):
/// - offsets are committed only once the database holds the messages, and only while the
///   partition is still this member's in the same generation (`PartitionTracker`);
/// - commits are asynchronous, at most one outstanding: a coordinator that does not answer (an
///   outage, a coordinator moving) must not hold the loop. A failed commit is sent again after a
///   growing pause; one left unanswered for `commitPatience` is sent again as a new request
///   (librdkafka may hold a commit while it looks for a coordinator);
/// - a message that cannot be applied yet parks its partition (`ParkedPartitions`), retried after
///   `parkRetryInterval`, and sought back to where it stopped once it resolves;
/// - too many messages waiting pause the partitions (polling goes on);
/// - quiet is judged by `DrainWatch`, from what the broker says (`probeDrain`);
/// - the loop exits only with nothing in flight, after one last commit.
struct ConsumeLoopState {
  private let configuration: FleetConfiguration
  private(set) var tracker = PartitionTracker()
  /// Read, not yet handed to the apply thread, in arrival order (so in order per partition).
  private(set) var pending: [PartitionTracker.Stamped] = []
  /// The batch the apply thread has.
  private(set) var inFlight: [PartitionTracker.Stamped]?
  /// Durable in the database, not yet committed to the group.
  private(set) var uncommitted: [TopicPartition: Offset] = [:]
  /// Partitions stopped at a message this worker cannot apply yet.
  private(set) var parked: ParkedPartitions
  /// Resumed partitions and the offset their first message must have (see `admit`).
  private var resumeFrom: [TopicPartition: Offset] = [:]
  /// Partitions a park paused; resumed again if they come back after a revoke (a new owner
  /// generation must not inherit the pause).
  private var pausedByPark: Set<TopicPartition> = []
  /// The assigned partitions are paused because too many messages wait.
  private(set) var paused = false
  /// Partitions were assigned to this member at least once ("joined" is logged then).
  private var everAssigned = false
  /// The group dropped this member (partitions lost) or a rebalance failed (the assignment was
  /// cleared); ready again once partitions come back.
  private(set) var membershipLost = false
  private var drain: DrainWatch
  private var commitBackoff: Backoff
  private var nextCommitTry: ContinuousClock.Instant
  /// When the commit not answered yet was sent.
  private(set) var commitOutstandingSince: ContinuousClock.Instant?
  /// How long a commit may go unanswered before it is sent again.
  let commitPatience: Duration
  private var lastPollError: ContinuousClock.Instant?
  private var stopRequested = false
  /// Why the loop is to end, once nothing is in flight.
  private var exit: FleetExit?
  private var filesApplied = 0
  private var recordedProblems = false

  init(
    configuration: FleetConfiguration, now: ContinuousClock.Instant,
    commitPatience: Duration = .seconds(30)
  ) {
    self.configuration = configuration
    self.commitPatience = commitPatience
    parked = ParkedPartitions(retryInterval: configuration.parkRetryInterval)
    drain = DrainWatch(
      idle: configuration.exitWhenIdle, now: now, strandedLimit: configuration.strandedLimit)
    commitBackoff = configuration.brokerBackoff
    nextCommitTry = now
  }

  mutating func handle(_ event: ConsumeEvent, at now: ContinuousClock.Instant) -> [ConsumeAction] {
    switch event {
    case .assigned(let partitions): return assigned(partitions, now: now)
    case .revoked(let partitions): return revoked(partitions, lost: false, now: now)
    case .lost(let partitions): return revoked(partitions, lost: true, now: now)
    case .rebalanceFailed(let error):
      // The assignment was cleared: out of the group (`/readyz` false) until partitions are
      // assigned again.
      var actions: [ConsumeAction] = []
      if !membershipLost {
        membershipLost = true
        actions.append(.markMembershipLost)
      }
      actions.append(.log(.warning, "rebalance failed", ["error": "\(error)"]))
      return actions
    case .polled(let message, let decoded): return admit(message, decoded: decoded, now: now)
    case .lowWatermarkRead(let message, let low):
      return admitPastExpected(message, low: low, now: now)
    case .pollFailed(let error): return pollFailed(error, now: now)
    case .batchFinished(let outcome): return finish(outcome, now: now)
    case .committed(let offsets):
      commitAnswered(offsets)
      commitBackoff.reset()
      return []
    case .commitFailed(let error, let offsets):
      commitAnswered(offsets)
      let delay = commitBackoff.nextDelay()
      nextCommitTry = now + delay
      return [
        .log(
          .warning, "offset commit failed; will retry",
          ["error": "\(error)", "retry_in": "\(delay)"])
      ]
    case .parkedMessageChecked(let partition, let reason):
      return parkedMessageChecked(partition, blockedBy: reason, now: now)
    case .parkedPartitionSought(let partition): return resumeParked(partition, now: now)
    case .parkedSeekFailed(let partition, let error):
      guard let entry = parked.entries[partition] else { return [] }
      _ = parked.stillBlocked(partition, reason: entry.reason, now: now)
      return [
        .log(
          .warning, "cannot move a parked partition back to its message; trying again later",
          ["partition": "\(partition)", "error": "\(error)"])
      ]
    case .drainObserved(let observation): return drainObserved(observation, now: now)
    case .stopRequested:
      stopRequested = true
      return []
    case .tick: return tick(now: now)
    }
  }

  // MARK: - Each turn

  private mutating func tick(now: ContinuousClock.Instant) -> [ConsumeAction] {
    if inFlight == nil {
      if exit == nil, stopRequested { exit = FleetExit(reason: .shutdown) }
      if exit != nil { return leave() }
    }
    let due = parked.due(now: now)
    var actions: [ConsumeAction] = due.map { .recheckParked($0) }
    let owned = ownedUncommitted
    let committing =
      !owned.isEmpty && now >= nextCommitTry
      && commitOutstandingSince.map { now - $0 >= commitPatience } ?? true
    if committing {
      commitOutstandingSince = now
      actions.append(.commit(owned))
    }
    if inFlight == nil {
      // Not while a commit or a park retry is under way: either may change what the broker
      // would say, and the next turn (100 ms on) asks then.
      let holds = !tracker.assigned.isEmpty
      if !committing, due.isEmpty,
        drain.wantsCheck(now: now, busy: !pending.isEmpty, holdsPartitions: holds)
      {
        actions.append(
          .probeDrain(
            holding: tracker.assigned, parked: parked.partitions,
            uncommitted: !uncommitted.isEmpty))
      }
      let tracker = tracker
      pending.removeAll { !tracker.isCurrent($0) }
      if !pending.isEmpty {
        let batch = Array(pending.prefix(configuration.maxMessagesPerTransaction))
        pending.removeFirst(batch.count)
        inFlight = batch
        actions.append(.startBatch(batch))
      }
    }
    let shouldPause = pending.count >= configuration.maxBufferedMessages
    if shouldPause != paused {
      // A parked partition stays paused whatever the buffer does.
      let unparked = tracker.assigned.subtracting(parked.partitions).sorted()
      if !unparked.isEmpty { actions.append(shouldPause ? .pause(unparked) : .resume(unparked)) }
      paused = shouldPause
    }
    return actions
  }

  /// An answer to the outstanding commit: what it committed leaves `uncommitted`, unless a newer
  /// offset of that partition waits.
  private mutating func commitAnswered(_ committed: [TopicPartition: Offset]) {
    commitOutstandingSince = nil
    for (partition, offset) in committed {
      if let waiting = uncommitted[partition], waiting <= offset { uncommitted[partition] = nil }
    }
  }

  private var ownedUncommitted: [TopicPartition: Offset] {
    uncommitted.filter { tracker.assigned.contains($0.key) }
  }

  /// The last commit and the exit; nothing is in flight.
  private mutating func leave() -> [ConsumeAction] {
    var result = exit ?? FleetExit(reason: .shutdown)
    result.filesApplied = filesApplied
    result.recordedProblems = recordedProblems
    let owned = ownedUncommitted
    uncommitted = [:]
    return (owned.isEmpty ? [] : [.commitBeforeLeaving(owned)]) + [.exit(result)]
  }

  private mutating func pollFailed(_ error: KafkaError, now: ContinuousClock.Instant)
    -> [ConsumeAction]
  {
    if error.isFatal {
      exit = FleetExit(reason: .stopped("the Kafka client failed: \(error)"))
      if inFlight == nil { return leave() }
    }
    var actions: [ConsumeAction] = []
    // Mostly transient (a broker away, a topic not created yet): librdkafka reconnects by itself.
    if lastPollError.map({ now - $0 > .seconds(5) }) ?? true {
      actions.append(.log(.warning, "Kafka consumer error; still polling", ["error": "\(error)"]))
      lastPollError = now
    }
    actions.append(.wait(.milliseconds(100)))
    return actions
  }

  // MARK: - Assignment

  /// Partitions came: the idle clock starts over (a worker that just got partitions has not been
  /// idle, whatever the group's join took).
  private mutating func assigned(_ partitions: [TopicPartition], now: ContinuousClock.Instant)
    -> [ConsumeAction]
  {
    drain.activity(at: now)
    tracker.assign(partitions)
    var actions: [ConsumeAction] = []
    if membershipLost {
      membershipLost = false
      actions.append(.markJoined)
    }
    if !everAssigned, !partitions.isEmpty {
      everAssigned = true
      actions.append(
        .log(
          .info, "joined the consumer group",
          ["group": "\(configuration.groupID)", "partitions": "\(partitions.sorted())"]))
    } else {
      actions.append(.log(.info, "partitions assigned", ["partitions": "\(partitions.sorted())"]))
    }
    if paused {
      if !partitions.isEmpty { actions.append(.pause(partitions)) }
    } else {
      let formerlyParked = partitions.filter { pausedByPark.contains($0) }
      pausedByPark.subtract(formerlyParked)
      if !formerlyParked.isEmpty { actions.append(.resume(formerlyParked)) }
    }
    return actions
  }

  private mutating func revoked(
    _ partitions: [TopicPartition], lost: Bool, now: ContinuousClock.Instant
  ) -> [ConsumeAction] {
    drain.activity(at: now)
    tracker.revoke(partitions)
    var actions: [ConsumeAction] = []
    if lost {
      membershipLost = true
      actions.append(.markMembershipLost)
    }
    let gone = Set(partitions)
    // The next owner starts at the committed offset: what we hold for them is dropped, and
    // what we applied but did not commit, it applies again (the ledger says `duplicate`).
    pending.removeAll { gone.contains($0.message.topicPartition) }
    for partition in partitions {
      uncommitted[partition] = nil
      resumeFrom[partition] = nil
    }
    // Their next owner starts at the committed offset, at or before the parked message.
    for entry in parked.forget(partitions) {
      actions.append(.parkedGauge(entry, false))
      actions.append(
        .log(.notice, "parked partition moved away", ["partition": "\(entry.partition)"]))
    }
    actions.append(.publishParked(parked.summary))
    actions.append(
      .log(
        .info, lost ? "partitions lost" : "partitions revoked",
        ["partitions": "\(partitions)"]))
    return actions
  }

  // MARK: - Messages read

  /// Whether a message just read joins the queue. A parked partition's messages are dropped (it
  /// is read again from the parked offset on resume). After a resume the first message must be
  /// the one the partition stopped at: older ones (fetched before the seek) are dropped, and a
  /// later one is looked at against the oldest offset the partition still holds
  /// (`admitPastExpected`).
  private mutating func admit(
    _ message: KafkaMessage, decoded: MessageResolver.Decoded?, now: ContinuousClock.Instant
  ) -> [ConsumeAction] {
    let partition = message.topicPartition
    if parked.isParked(partition) { return [] }
    if let expected = resumeFrom[partition] {
      if message.offset < expected { return [] }
      if message.offset > expected { return [.readLowWatermark(message)] }
      resumeFrom[partition] = nil
    }
    enqueue(message, decoded: decoded, now: now)
    return []
  }

  /// A resumed partition's first message lies past the parked offset: the seek did not take — the
  /// partition is sought again rather than a message skipped — unless the partition no longer
  /// holds that offset (retention removed it): waiting for it would stall the partition for good,
  /// a restarted worker would go on from the oldest message held too, and `lmsds produce`
  /// republishes files the topic lost.
  private mutating func admitPastExpected(
    _ message: KafkaMessage, low: Offset?, now: ContinuousClock.Instant
  ) -> [ConsumeAction] {
    let partition = message.topicPartition
    guard let expected = resumeFrom[partition], !parked.isParked(partition) else { return [] }
    let first = max(expected, low ?? expected)
    if message.offset > first {
      return [
        .log(
          .warning, "a resumed partition skipped ahead; reading it again from the parked message",
          ["partition": "\(partition)", "expected": "\(first)", "got": "\(message.offset)"]),
        .seek(partition, to: first),
      ]
    }
    resumeFrom[partition] = nil
    enqueue(message, now: now)
    return [
      .log(
        .error,
        "a resumed partition no longer holds its parked message; going on from the oldest it holds (lmsds produce republishes lost files)",
        ["partition": "\(partition)", "expected": "\(expected)", "got": "\(message.offset)"])
    ]
  }

  private mutating func enqueue(
    _ message: KafkaMessage, decoded: MessageResolver.Decoded? = nil, now: ContinuousClock.Instant
  ) {
    pending.append(tracker.stamp(message, decoded: decoded))
    drain.activity(at: now)
  }

  // MARK: - A finished batch

  /// Takes in a finished batch: records its files, queues its offsets, parks what could not be
  /// applied yet, puts back what was not done.
  private mutating func finish(_ outcome: BatchOutcome, now: ContinuousClock.Instant)
    -> [ConsumeAction]
  {
    guard let batch = inFlight else { return [] }
    inFlight = nil
    drain.activity(at: now)
    var actions: [ConsumeAction] = []
    for result in outcome.results {
      filesApplied += 1
      if result.outcome == .rejected || (result.outcome == .loaded && result.counts.invalid > 0) {
        recordedProblems = true
      }
      actions.append(.record(result))
    }
    for (partition, offset) in tracker.offsetsToCommit(after: outcome.done) {
      uncommitted[partition] = max(offset, uncommitted[partition] ?? offset)
    }
    if let reason = outcome.stopReason {
      exit = FleetExit(reason: .stopped(reason))
      actions.append(.log(.critical, "worker stops", ["reason": "\(reason)"]))
      return actions
    }
    if outcome.abandoned {
      exit = exit ?? FleetExit(reason: .shutdown)
      return actions
    }
    let done = Set(outcome.done)
    for park in outcome.parked where tracker.isCurrent(park.stamped) {
      let partition = park.stamped.message.topicPartition
      // Where the partition resumes: its first message this batch did not finish (the parked
      // one, unless the transaction ended before an earlier one).
      let from =
        batch.filter { $0.message.topicPartition == partition && !done.contains($0) }
        .map(\.message.offset).min() ?? park.stamped.message.offset
      actions += self.park(partition, at: from, park, now: now)
    }
    // The rest of the batch goes back in front, in order (whatever is still ours and not parked).
    let parked = parked
    let tracker = tracker
    let rest = batch.filter {
      !done.contains($0) && tracker.isCurrent($0) && !parked.isParked($0.message.topicPartition)
    }
    pending.insert(contentsOf: rest, at: 0)
    return actions
  }

  // MARK: - Parked partitions

  /// Stops a partition at a message this worker cannot apply yet: paused, nothing of it kept in
  /// hand (a resume reads it again from `offset`), its message retried later.
  private mutating func park(
    _ partition: TopicPartition, at offset: Offset, _ park: BatchOutcome.Park,
    now: ContinuousClock.Instant
  ) -> [ConsumeAction] {
    let before = parked.entries[partition]
    let change = parked.park(
      partition, at: offset, message: park.stamped.message, reason: park.reason, now: now)
    pending.removeAll { $0.message.topicPartition == partition }
    resumeFrom[partition] = nil
    pausedByPark.insert(partition)
    var actions: [ConsumeAction] = [.pause([partition])]
    guard let entry = parked.entries[partition] else { return actions }
    if let before { actions += relabel(from: before, to: entry) }
    actions.append(.parkedGauge(entry, true))
    actions.append(.publishParked(parked.summary))
    let metadata: Logger.Metadata = [
      "partition": "\(partition)", "offset": "\(offset)", "provider": "\(entry.provider)",
      "reason": "\(entry.reason.kind.rawValue)",
      "retry_in": "\(configuration.parkRetryInterval)",
    ]
    switch change {
    case .parked:
      actions.append(
        .log(
          .error,
          "partition parked: \(entry.reason.detail); its other providers wait too, other partitions go on",
          metadata))
    case .reasonChanged:
      actions.append(.log(.error, "partition still parked: \(entry.reason.detail)", metadata))
    case .unchanged:
      actions.append(.log(.debug, "partition still parked", metadata))
    }
    return actions
  }

  /// The gauge's series of the old reason (or provider) goes to 0, the new one's to 1.
  private func relabel(from before: ParkedPartitions.Entry, to after: ParkedPartitions.Entry)
    -> [ConsumeAction]
  {
    guard before.reason.kind != after.reason.kind || before.provider != after.provider else {
      return []
    }
    return [.parkedGauge(before, false), .parkedGauge(after, true)]
  }

  private mutating func parkedMessageChecked(
    _ partition: TopicPartition, blockedBy reason: ParkReason?, now: ContinuousClock.Instant
  ) -> [ConsumeAction] {
    guard let entry = parked.entries[partition] else { return [] }
    guard let reason else {
      // Sought while still paused, so nothing is fetched from a stale position in between.
      return [.seekParked(partition, to: entry.offset)]
    }
    var actions: [ConsumeAction] = []
    if parked.stillBlocked(partition, reason: reason, now: now) == .reasonChanged,
      let updated = parked.entries[partition]
    {
      actions += relabel(from: entry, to: updated)
      actions.append(
        .log(
          .error, "partition still parked: \(reason.detail)",
          ["partition": "\(partition)", "reason": "\(reason.kind.rawValue)"]))
    }
    actions.append(.publishParked(parked.summary))
    return actions
  }

  /// The parked message can be applied now and the partition was sought back to it: it reads
  /// again from there (its first message must be that one, see `admit`).
  private mutating func resumeParked(_ partition: TopicPartition, now: ContinuousClock.Instant)
    -> [ConsumeAction]
  {
    guard let entry = parked.resume(partition) else { return [] }
    pausedByPark.remove(partition)
    resumeFrom[partition] = entry.offset
    drain.activity(at: now)
    var actions: [ConsumeAction] = paused ? [] : [.resume([partition])]
    actions.append(.parkedGauge(entry, false))
    actions.append(.publishParked(parked.summary))
    actions.append(
      .log(
        .notice, "parked partition resumes",
        [
          "partition": "\(partition)", "offset": "\(entry.offset)",
          "provider": "\(entry.provider)", "parked_for": "\(now - entry.since)",
        ]))
    return actions
  }

  // MARK: - Quiet

  private mutating func drainObserved(
    _ observation: DrainWatch.Observation, now: ContinuousClock.Instant
  ) -> [ConsumeAction] {
    var actions: [ConsumeAction] = []
    let idle = configuration.exitWhenIdle ?? .zero
    switch drain.observe(observation, parked: !parked.isEmpty, now: now) {
    case .keepGoing:
      return []
    case .exitParked:
      exit = FleetExit(
        reason: .stopped(
          "idle for \(idle) with partitions parked (nothing from the parked message on was applied or committed): "
            + parked.summary.joined(separator: "; ")))
    case .exitDrained:
      actions.append(
        .log(
          .info,
          "drained: every partition held is at its end and nothing arrived for \(idle); exiting",
          [
            "group": "\(configuration.groupID)",
            "partitions": "\(tracker.assigned.sorted())",
          ]))
      exit = FleetExit(reason: .idle)
    case .rejoin(let lag):
      return [
        .log(
          .warning,
          "holding no partition while the group has messages to apply; joining the group again",
          ["group": "\(configuration.groupID)", "lag": "\(lag)"]),
        .rejoin,
      ]
    case .exitStranded(let lag):
      exit = FleetExit(
        reason: .stopped(
          "no partition of \(configuration.topic) was assigned to this member of group \(configuration.groupID) for \(configuration.strandedLimit) while the group has \(lag) messages to apply"
        ))
    }
    if inFlight == nil { actions += leave() }
    return actions
  }
}
