import Foundation
import Kafka
import Logging
import Store

/// The consumer side of a worker, on a thread of its own: reads messages in partition order,
/// hands them to the apply thread one batch at a time, commits offsets only once the database
/// commit covers them, and keeps polling meanwhile so the group never evicts it.
///
/// Why a separate apply thread instead of applying between polls: one big file can take longer
/// than any batch time we could choose, and a consumer that does not poll for
/// `max.poll.interval.ms` is thrown out of the group mid-file. Polling goes on while a batch is
/// applied; messages read meanwhile wait in memory (in order), and once too many wait, the
/// assigned partitions are paused — polling still serves heartbeats and rebalances.
///
/// A message the worker cannot apply yet parks its partition (`ParkedPartitions`): the partition
/// is paused, nothing from the message on is applied or committed, messages of it still in hand
/// are dropped (the broker has them), and the message is looked at again every
/// `parkRetryInterval`; once it resolves, the partition is sought back to where it stopped and
/// resumed. Other partitions go on meanwhile.
final class ConsumeLoop: @unchecked Sendable {
  // `@unchecked Sendable`: all mutable state below is confined to the thread running `run()`;
  // `events` is the only thing the rebalance callback touches, under its own lock.
  private let configuration: FleetConfiguration
  private let logger: Logger
  private let control: FleetControl
  private let health: FleetHealth
  private let makeRunner: (DeadLetterPublisher) -> FleetBatchRunner
  private let eventLock = NSLock()
  private var events: [RebalanceEvent] = []

  init(
    configuration: FleetConfiguration, logger: Logger, control: FleetControl,
    health: FleetHealth,
    makeRunner: @escaping (DeadLetterPublisher) -> FleetBatchRunner
  ) {
    self.configuration = configuration
    self.logger = logger
    self.control = control
    self.health = health
    self.makeRunner = makeRunner
  }

  private func record(_ event: RebalanceEvent) {
    eventLock.lock()
    events.append(event)
    eventLock.unlock()
  }

  private func takeEvents() -> [RebalanceEvent] {
    eventLock.lock()
    defer { eventLock.unlock() }
    let taken = events
    events = []
    return taken
  }

  func run() throws -> FleetExit {
    let deadLetters = DeadLetterPublisher(
      producer: try KafkaProducer(configuration: configuration.deadLetterProducer),
      topic: configuration.deadLetterTopic)
    defer { deadLetters.close() }
    let executor = BatchExecutor(runner: makeRunner(deadLetters))
    let consumerConfiguration = FleetConsumerDefaults.apply(to: configuration.kafka)
    let consumer = try KafkaConsumer(
      configuration: consumerConfiguration, groupID: configuration.groupID
    ) {
      [weak self] event in self?.record(event)
    }
    try consumer.subscribe(topics: [configuration.topic])
    health.loopTurned()
    defer { health.loopEnded() }
    logger.info(
      "subscribed; joining the consumer group",
      metadata: ["group": "\(configuration.groupID)", "topic": "\(configuration.topic)"])

    var state = LoopState(parked: ParkedPartitions(retryInterval: configuration.parkRetryInterval))
    let resolver = MessageResolver(sourcesDirectory: configuration.sourcesDirectory)
    var exit: FleetExit?
    var inFlight: [PartitionTracker.Stamped]?
    var drain = DrainWatch(
      idle: configuration.exitWhenIdle, now: .now, strandedLimit: configuration.strandedLimit)
    var probe = DrainProbe(configuration: configuration)
    defer { probe.close() }
    var lastPollError: ContinuousClock.Instant?
    var commits = OffsetCommitSchedule(backoff: configuration.brokerBackoff)

    while true {
      health.loopTurned()
      if !health.isJoined, !state.membershipLost, let member = consumer.memberID {
        health.markJoined()
        logger.debug(
          "member of the consumer group; waiting for partitions",
          metadata: ["group": "\(configuration.groupID)", "member_id": "\(member)"])
      }
      if handle(takeEvents(), state: &state, consumer: consumer) {
        drain.activity(at: .now)
      }

      if let batch = inFlight, let outcome = executor.takeOutcome() {
        inFlight = nil
        drain.activity(at: .now)
        exit = finish(batch, outcome, state: &state, consumer: consumer, exit: exit)
      }

      if retryParked(state: &state, resolver: resolver, consumer: consumer) {
        drain.activity(at: .now)
      }

      // Asynchronous: a coordinator that does not answer must not hold the loop (see
      // `OffsetCommitSchedule`); answers arrive during the polls.
      for answer in consumer.takeCommitResults() {
        if let delay = commits.answered(answer, uncommitted: &state.uncommitted, now: .now) {
          logger.warning(
            "offset commit failed; will retry",
            metadata: ["error": "\(answer.error.map { "\($0)" } ?? "")", "retry_in": "\(delay)"])
        }
      }
      let owned = state.uncommitted.filter { state.tracker.assigned.contains($0.key) }
      if let offsets = commits.offsetsToSend(owned, now: .now) {
        do {
          try consumer.commitAsync(offsets: offsets)
        } catch {
          let delay = commits.failed(now: .now)
          logger.warning(
            "offset commit failed; will retry",
            metadata: ["error": "\(error)", "retry_in": "\(delay)"])
        }
      }

      if inFlight == nil {
        if exit != nil { break }
        if control.isStopping {
          exit = FleetExit(reason: .shutdown)
          break
        }
        let now = ContinuousClock.now
        let holds = !state.tracker.assigned.isEmpty
        if drain.wantsCheck(now: now, busy: !state.pending.isEmpty, holdsPartitions: holds),
          let observation = probe.observe(
            holding: state.tracker.assigned, parked: state.parked.partitions,
            uncommitted: !state.uncommitted.isEmpty, logger: logger)
        {
          switch drain.observe(observation, parked: !state.parked.isEmpty, now: .now) {
          case .keepGoing: break
          case .exitParked:
            let parked = state.parked.summary
            exit = FleetExit(
              reason: .stopped(
                "idle for \(configuration.exitWhenIdle ?? .zero) with partitions parked (nothing from the parked message on was applied or committed): "
                  + parked.joined(separator: "; ")))
          case .exitDrained:
            logger.info(
              "drained: every partition held is at its end and nothing arrived for \(configuration.exitWhenIdle ?? .zero); exiting",
              metadata: [
                "group": "\(configuration.groupID)",
                "partitions": "\(state.tracker.assigned.sorted())",
              ])
            exit = FleetExit(reason: .idle)
          case .rejoin(let lag):
            logger.warning(
              "holding no partition while the group has messages to apply; joining the group again",
              metadata: ["group": "\(configuration.groupID)", "lag": "\(lag)"])
            do {
              try consumer.rejoin(topics: [configuration.topic])
            } catch {
              logger.warning("rejoining the consumer group failed", metadata: ["error": "\(error)"])
            }
          case .exitStranded(let lag):
            exit = FleetExit(
              reason: .stopped(
                "no partition of \(configuration.topic) was assigned to this member of group \(configuration.groupID) for \(configuration.strandedLimit) while the group has \(lag) messages to apply"
              ))
          }
          if exit != nil { break }
        }
        let tracker = state.tracker
        state.pending.removeAll { !tracker.isCurrent($0) }
        if !state.pending.isEmpty {
          let batch = Array(state.pending.prefix(configuration.maxMessagesPerTransaction))
          state.pending.removeFirst(batch.count)
          inFlight = batch
          executor.start(batch)
        }
      }

      let shouldPause = state.pending.count >= configuration.maxBufferedMessages
      if shouldPause != state.paused {
        // A parked partition stays paused whatever the buffer does.
        let unparked = state.tracker.assigned.subtracting(state.parked.partitions)
        setPaused(shouldPause, partitions: Array(unparked), consumer: consumer)
        state.paused = shouldPause
      }

      do {
        let message = try consumer.poll(timeout: .milliseconds(100))
        // Rebalance callbacks ran inside this poll: apply them before stamping the message.
        if handle(takeEvents(), state: &state, consumer: consumer) {
          drain.activity(at: .now)
        }
        if let message, admit(message, state: &state, consumer: consumer) {
          state.pending.append(state.tracker.stamp(message))
          drain.activity(at: .now)
        }
      } catch let error as KafkaError {
        if error.isFatal {
          exit = FleetExit(reason: .stopped("the Kafka client failed: \(error)"))
          if inFlight == nil { break }
        }
        // Mostly transient (a broker away, a topic not created yet): librdkafka reconnects by itself.
        if lastPollError.map({ ContinuousClock.now - $0 > .seconds(5) }) ?? true {
          logger.warning("Kafka consumer error; still polling", metadata: ["error": "\(error)"])
          lastPollError = ContinuousClock.now
        }
        Thread.sleep(forTimeInterval: 0.1)
      }
    }

    // Offsets not known committed get one last try before the group is left, bounded: a
    // coordinator that is away must not hold the stop.
    for answer in consumer.takeCommitResults() {
      _ = commits.answered(answer, uncommitted: &state.uncommitted, now: .now)
    }
    let owned = state.uncommitted.filter { state.tracker.assigned.contains($0.key) }
    if !owned.isEmpty {
      do {
        try consumer.commit(offsets: owned, waitingAtMost: .seconds(5))
      } catch {
        logger.warning(
          "final offset commit failed; the next owner finds those files in the ledger (duplicate)",
          metadata: ["error": "\(error)"])
      }
    }

    var result = exit ?? FleetExit(reason: .shutdown)
    result.filesApplied = state.filesApplied
    result.recordedProblems = state.recordedProblems
    // No LeaveGroup request (see `closeWithoutLeaving`): the group hands our partitions on once
    // the session times out (6 s by default), and workers leaving together cannot strand the
    // next ones. What we applied is committed above.
    if !consumer.closeWithoutLeaving() {
      logger.warning(
        "the Kafka client was still releasing its group membership; not waiting for it",
        metadata: ["group": "\(configuration.groupID)"])
    }
    logger.info(
      "left the consumer group",
      metadata: [
        "group": "\(configuration.groupID)",
        "partitions_move_after_ms": "\(consumerConfiguration["session.timeout.ms"] ?? "")",
      ])
    return result
  }

  /// Everything the loop keeps between iterations.
  private struct LoopState {
    var tracker = PartitionTracker()
    /// Read, not yet handed to the apply thread, in arrival order (so in order per partition).
    var pending: [PartitionTracker.Stamped] = []
    /// Durable in the database, not yet committed to the group.
    var uncommitted: [TopicPartition: Offset] = [:]
    /// Partitions stopped at a message this worker cannot apply yet.
    var parked: ParkedPartitions
    /// Resumed partitions and the offset their first message must have (see `admit`).
    var resumeFrom: [TopicPartition: Offset] = [:]
    /// Partitions a park paused; resumed again if they come back after a revoke (a new owner
    /// generation must not inherit the pause).
    var pausedByPark: Set<TopicPartition> = []
    var paused = false
    /// Partitions were assigned to this member at least once ("joined" is logged then).
    var everAssigned = false
    /// The group dropped this member (partitions lost); ready again once partitions come back.
    var membershipLost = false
    var filesApplied = 0
    var recordedProblems = false
  }

  /// Applies assignment changes; true when partitions came or went (the idle clock starts over:
  /// a worker that just got partitions has not been idle, whatever the group's join took).
  private func handle(_ events: [RebalanceEvent], state: inout LoopState, consumer: KafkaConsumer)
    -> Bool
  {
    var changed = false
    for event in events {
      switch event {
      case .assigned(let partitions):
        changed = true
        state.tracker.assign(partitions)
        if state.membershipLost {
          state.membershipLost = false
          health.markJoined()
        }
        if !state.everAssigned, !partitions.isEmpty {
          state.everAssigned = true
          logger.info(
            "joined the consumer group",
            metadata: [
              "group": "\(configuration.groupID)", "partitions": "\(partitions.sorted())",
            ])
        } else {
          logger.info("partitions assigned", metadata: ["partitions": "\(partitions.sorted())"])
        }
        if state.paused {
          setPaused(true, partitions: partitions, consumer: consumer)
        } else {
          let formerlyParked = partitions.filter { state.pausedByPark.contains($0) }
          state.pausedByPark.subtract(formerlyParked)
          setPaused(false, partitions: formerlyParked, consumer: consumer)
        }
      case .revoked(let partitions, let lost):
        changed = true
        state.tracker.revoke(partitions)
        if lost {
          state.membershipLost = true
          health.markMembershipLost()
        }
        let gone = Set(partitions)
        // The next owner starts at the committed offset: what we hold for them is dropped, and
        // what we applied but did not commit, it applies again (the ledger says `duplicate`).
        state.pending.removeAll { gone.contains($0.message.topicPartition) }
        for partition in partitions {
          state.uncommitted[partition] = nil
          state.resumeFrom[partition] = nil
        }
        // Their next owner starts at the committed offset, at or before the parked message.
        for entry in state.parked.forget(partitions) {
          configuration.metrics.parked(entry, false)
          logger.notice(
            "parked partition moved away", metadata: ["partition": "\(entry.partition)"])
        }
        health.setParked(state.parked.summary)
        logger.info(
          lost ? "partitions lost" : "partitions revoked", metadata: ["partitions": "\(partitions)"]
        )
      case .error(let error):
        // The assignment was cleared: out of the group until partitions are assigned again.
        state.membershipLost = true
        health.markMembershipLost()
        logger.warning("rebalance failed", metadata: ["error": "\(error)"])
      }
    }
    return changed
  }

  /// Takes in a finished batch: logs its files, queues its offsets, puts back what was not done.
  private func finish(
    _ batch: [PartitionTracker.Stamped], _ outcome: BatchOutcome, state: inout LoopState,
    consumer: KafkaConsumer, exit: FleetExit?
  ) -> FleetExit? {
    for result in outcome.results { log(result, state: &state) }
    for (partition, offset) in state.tracker.offsetsToCommit(after: outcome.done) {
      state.uncommitted[partition] = max(offset, state.uncommitted[partition] ?? offset)
    }
    if let reason = outcome.stopReason {
      logger.critical("worker stops", metadata: ["reason": "\(reason)"])
      return FleetExit(reason: .stopped(reason))
    }
    if outcome.abandoned { return exit ?? FleetExit(reason: .shutdown) }
    let done = Set(outcome.done)
    for park in outcome.parked where state.tracker.isCurrent(park.stamped) {
      let partition = park.stamped.message.topicPartition
      // Where the partition resumes: its first message this batch did not finish (the parked
      // one, unless the transaction ended before an earlier one).
      let from =
        batch.filter { $0.message.topicPartition == partition && !done.contains($0) }
        .map(\.message.offset).min() ?? park.stamped.message.offset
      self.park(partition, at: from, park, state: &state, consumer: consumer)
    }
    // The rest of the batch goes back in front, in order (whatever is still ours and not parked).
    let parked = state.parked
    let rest = batch.filter {
      !done.contains($0) && state.tracker.isCurrent($0)
        && !parked.isParked($0.message.topicPartition)
    }
    state.pending.insert(contentsOf: rest, at: 0)
    return exit
  }

  /// Stops a partition at a message this worker cannot apply yet: paused, nothing of it kept in
  /// hand (a resume reads it again from `offset`), its message retried later.
  private func park(
    _ partition: TopicPartition, at offset: Offset, _ park: BatchOutcome.Park,
    state: inout LoopState, consumer: KafkaConsumer
  ) {
    let before = state.parked.entries[partition]
    let change = state.parked.park(
      partition, at: offset, message: park.stamped.message, reason: park.reason, now: .now)
    state.pending.removeAll { $0.message.topicPartition == partition }
    state.resumeFrom[partition] = nil
    setPaused(true, partitions: [partition], consumer: consumer)
    state.pausedByPark.insert(partition)
    guard let entry = state.parked.entries[partition] else { return }
    if let before { relabel(from: before, to: entry) }
    configuration.metrics.parked(entry, true)
    health.setParked(state.parked.summary)
    let metadata: Logger.Metadata = [
      "partition": "\(partition)", "offset": "\(offset)", "provider": "\(entry.provider)",
      "reason": "\(entry.reason.kind.rawValue)",
      "retry_in": "\(configuration.parkRetryInterval)",
    ]
    switch change {
    case .parked:
      logger.error(
        "partition parked: \(entry.reason.detail); its other providers wait too, other partitions go on",
        metadata: metadata)
    case .reasonChanged:
      logger.error("partition still parked: \(entry.reason.detail)", metadata: metadata)
    case .unchanged:
      logger.debug("partition still parked", metadata: metadata)
    }
  }

  /// The gauge's series of the old reason (or provider) goes to 0, the new one's to 1.
  private func relabel(from before: ParkedPartitions.Entry, to after: ParkedPartitions.Entry) {
    guard before.reason.kind != after.reason.kind || before.provider != after.provider else {
      return
    }
    configuration.metrics.parked(before, false)
    configuration.metrics.parked(after, true)
  }

  /// Looks again at the messages of parked partitions that are due; resumes each partition whose
  /// message can now be applied (sought back to where it stopped). True when one resumed.
  private func retryParked(
    state: inout LoopState, resolver: MessageResolver, consumer: KafkaConsumer
  ) -> Bool {
    var resumed = false
    let now = ContinuousClock.now
    for entry in state.parked.due(now: now) {
      if case .park(let reason) = resolver.resolve(entry.message.value) {
        if state.parked.stillBlocked(entry.partition, reason: reason, now: now) == .reasonChanged,
          let updated = state.parked.entries[entry.partition]
        {
          relabel(from: entry, to: updated)
          logger.error(
            "partition still parked: \(reason.detail)",
            metadata: ["partition": "\(entry.partition)", "reason": "\(reason.kind.rawValue)"])
        }
        health.setParked(state.parked.summary)
        continue
      }
      // Sought while still paused, so nothing is fetched from a stale position in between.
      do {
        try consumer.seek(entry.partition, to: entry.offset)
      } catch {
        logger.warning(
          "cannot move a parked partition back to its message; trying again later",
          metadata: ["partition": "\(entry.partition)", "error": "\(error)"])
        _ = state.parked.stillBlocked(entry.partition, reason: entry.reason, now: now)
        continue
      }
      _ = state.parked.resume(entry.partition)
      state.pausedByPark.remove(entry.partition)
      state.resumeFrom[entry.partition] = entry.offset
      if !state.paused { setPaused(false, partitions: [entry.partition], consumer: consumer) }
      configuration.metrics.parked(entry, false)
      health.setParked(state.parked.summary)
      resumed = true
      logger.notice(
        "parked partition resumes",
        metadata: [
          "partition": "\(entry.partition)", "offset": "\(entry.offset)",
          "provider": "\(entry.provider)", "parked_for": "\(now - entry.since)",
        ])
    }
    return resumed
  }

  /// Whether a message just read joins the queue. A parked partition's messages are dropped (it
  /// is read again from the parked offset on resume). After a resume the first message must be
  /// the one the partition stopped at: older ones (fetched before the seek) are dropped, and a
  /// later one means the seek did not take — the partition is sought again rather than a message
  /// skipped — unless the partition no longer holds that offset (retention removed it): waiting
  /// for it would stall the partition for good, a restarted worker would go on from the oldest
  /// message held too, and `lmsds produce` republishes files the topic lost.
  private func admit(_ message: KafkaMessage, state: inout LoopState, consumer: KafkaConsumer)
    -> Bool
  {
    let partition = message.topicPartition
    if state.parked.isParked(partition) { return false }
    guard let expected = state.resumeFrom[partition] else { return true }
    if message.offset < expected { return false }
    if message.offset > expected {
      // The oldest message from where it stopped that the partition still holds.
      let low = (try? consumer.watermarks(of: partition))?.low ?? expected
      let first = max(expected, low)
      if message.offset > first {
        logger.warning(
          "a resumed partition skipped ahead; reading it again from the parked message",
          metadata: [
            "partition": "\(partition)", "expected": "\(first)", "got": "\(message.offset)",
          ])
        do {
          try consumer.seek(partition, to: first)
        } catch {
          logger.warning(
            "seek failed", metadata: ["partition": "\(partition)", "error": "\(error)"])
        }
        return false
      }
      logger.error(
        "a resumed partition no longer holds its parked message; going on from the oldest it holds (lmsds produce republishes lost files)",
        metadata: [
          "partition": "\(partition)", "expected": "\(expected)", "got": "\(message.offset)",
        ])
    }
    state.resumeFrom[partition] = nil
    return true
  }

  private func log(_ result: ApplyResult, state: inout LoopState) {
    configuration.metrics.committed(result)
    let entry = result.entry
    state.filesApplied += 1
    var metadata: Logger.Metadata = [
      "provider": "\(entry.provider)", "resource": "\(entry.resource.rawValue)",
      "path": "\(entry.relativePath)", "outcome": "\(entry.outcome.rawValue)",
    ]
    switch entry.outcome {
    case .rejected:
      state.recordedProblems = true
      metadata["reason"] = "\(entry.message ?? "")"
      logger.error("file rejected", metadata: metadata)
    case .loaded:
      let counts = entry.counts
      if counts.invalid > 0 { state.recordedProblems = true }
      metadata["rows"] = "\(counts.rowsRead)"
      metadata["inserted"] = "\(counts.inserted)"
      metadata["updated"] = "\(counts.updated)"
      metadata["soft_deleted"] = "\(counts.softDeleted)"
      metadata["invalid"] = "\(counts.invalid)"
      metadata["orphans"] = "\(counts.orphans)"
      logger.info("file loaded", metadata: metadata)
    case .superseded, .duplicate, .published:
      if let message = entry.message { metadata["reason"] = "\(message)" }
      logger.info("file \(entry.outcome.rawValue)", metadata: metadata)
    }
  }

  private func setPaused(_ paused: Bool, partitions: [TopicPartition], consumer: KafkaConsumer) {
    guard !partitions.isEmpty else { return }
    do {
      if paused {
        try consumer.pause(partitions: partitions)
      } else {
        try consumer.resume(partitions: partitions)
      }
      logger.debug(
        paused ? "partitions paused" : "partitions resumed",
        metadata: ["partitions": "\(partitions)"])
    } catch {
      logger.warning("pause/resume failed", metadata: ["error": "\(error)"])
    }
  }
}
