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
///
/// This type only does the I/O: every decision is `ConsumeLoopState`'s. Each turn hands it what
/// happened (rebalances, a finished batch, a stop request, a tick, then what the poll read) and
/// does the actions it returns, handing answers (a commit's result, a parked message looked at
/// again, the broker's lag) straight back.
final class ConsumeLoop: @unchecked Sendable {
  // `@unchecked Sendable`: all mutable state is confined to the thread running `run()`;
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
    let deadLetters = try DeadLetterPublisher(
      configuration: configuration.deadLetterProducer, topic: configuration.deadLetterTopic)
    defer { deadLetters.close() }
    let consumerConfiguration = FleetConsumerDefaults.apply(to: configuration.kafka)
    let consumer = try KafkaConsumer(
      configuration: consumerConfiguration, groupID: configuration.groupID
    ) {
      [weak self] event in self?.record(event)
    }
    let executor = BatchExecutor(runner: makeRunner(deadLetters)) { consumer.interruptPoll() }
    try consumer.subscribe(topics: [configuration.topic])
    health.loopTurned()
    defer { health.loopEnded() }
    logger.info(
      "subscribed; joining the consumer group",
      metadata: ["group": "\(configuration.groupID)", "topic": "\(configuration.topic)"])

    var driver = Driver(
      configuration: configuration, logger: logger, health: health, consumer: consumer,
      executor: executor,
      resolver: MessageResolver(sourcesDirectory: configuration.sourcesDirectory),
      probe: DrainProbe(configuration: configuration),
      state: ConsumeLoopState(configuration: configuration, now: .now))
    defer { driver.probe.close() }
    var exit: FleetExit?

    while exit == nil {
      health.loopTurned()
      if !health.isJoined, !driver.state.membershipLost, let member = consumer.memberID {
        health.markJoined()
        logger.debug(
          "member of the consumer group; waiting for partitions",
          metadata: ["group": "\(configuration.groupID)", "member_id": "\(member)"])
      }
      var events = takeEvents().map(ConsumeEvent.init)
      if let outcome = executor.takeOutcome() { events.append(.batchFinished(outcome)) }
      if control.isStopping { events.append(.stopRequested) }
      events.append(.tick)
      exit = driver.feed(events)
      if exit != nil { break }

      do {
        let message = try consumer.poll(timeout: .milliseconds(100))
        // Rebalance callbacks ran inside this poll: they count before the message is stamped.
        // Answers to asynchronous commits arrive during polls too.
        var read = takeEvents().map(ConsumeEvent.init)
        read += consumer.takeCommitResults().map(ConsumeEvent.init)
        // Decoded here, while the apply thread works: not in the pause between two batches.
        if let message {
          read.append(.polled(message, decoded: driver.resolver.decode(message.value)))
        }
        exit = driver.feed(read)
      } catch let error as KafkaError {
        exit = driver.feed([.pollFailed(error)])
      }
    }

    let result = exit ?? FleetExit(reason: .shutdown)
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

  /// Does what `ConsumeLoopState` asks, and hands the answers back to it right away.
  private struct Driver {
    let configuration: FleetConfiguration
    let logger: Logger
    let health: FleetHealth
    let consumer: KafkaConsumer
    let executor: BatchExecutor
    let resolver: MessageResolver
    var probe: DrainProbe
    var state: ConsumeLoopState
    /// Files a finished batch applied, logged once the events fed with it are handled: the next
    /// batch (started by the `tick` fed after `batchFinished`) then runs while a thousand lines
    /// are written, instead of after them (8 % of a worker's CPU in the fleet bench).
    var resultsToRecord: [ApplyResult] = []

    /// The exit once the state calls for it (the events after it are not looked at).
    mutating func feed(_ events: [ConsumeEvent]) -> FleetExit? {
      defer { recordResults() }
      for event in events {
        if let exit = feed(event) { return exit }
      }
      return nil
    }

    private mutating func recordResults() {
      for result in resultsToRecord { record(result) }
      resultsToRecord.removeAll()
    }

    mutating func feed(_ event: ConsumeEvent) -> FleetExit? {
      perform(state.handle(event, at: .now))
    }

    private mutating func perform(_ actions: [ConsumeAction]) -> FleetExit? {
      for action in actions {
        if let exit = perform(action) { return exit }
      }
      return nil
    }

    private mutating func perform(_ action: ConsumeAction) -> FleetExit? {
      switch action {
      case .pause(let partitions): setPaused(true, partitions: partitions)
      case .resume(let partitions): setPaused(false, partitions: partitions)
      case .seek(let partition, let offset):
        do {
          try consumer.seek(partition, to: offset)
        } catch {
          logger.warning(
            "seek failed", metadata: ["partition": "\(partition)", "error": "\(error)"])
        }
      case .seekParked(let partition, let offset):
        do {
          try consumer.seek(partition, to: offset)
        } catch {
          return feed(.parkedSeekFailed(partition, "\(error)"))
        }
        return feed(.parkedPartitionSought(partition))
      case .readLowWatermark(let message):
        let low = (try? consumer.watermarks(of: message.topicPartition))?.low
        return feed(.lowWatermarkRead(message, low: low))
      case .recheckParked(let entry):
        var reason: ParkReason?
        if case .park(let blocked) = resolver.resolve(entry.message.value) { reason = blocked }
        return feed(.parkedMessageChecked(entry.partition, blockedBy: reason))
      case .startBatch(let batch): executor.start(batch)
      case .commit(let offsets):
        // Asynchronous: a coordinator that does not answer must not hold the loop, whose polls
        // serve the heartbeats, `max.poll.interval.ms` and `/livez`. The answer comes back
        // through a later poll (`takeCommitResults`).
        do {
          try consumer.commitAsync(offsets: offsets)
        } catch {
          return feed(.commitFailed("\(error)"))
        }
      case .commitBeforeLeaving(let offsets):
        // Bounded: a coordinator that is away must not hold the stop.
        do {
          try consumer.commit(offsets: offsets, waitingAtMost: .seconds(5))
        } catch {
          logger.warning(
            "final offset commit failed; the next owner finds those files in the ledger (duplicate)",
            metadata: ["error": "\(error)"])
        }
      case .probeDrain(let holding, let parked, let uncommitted):
        if let observation = probe.observe(
          holding: holding, parked: parked, uncommitted: uncommitted, logger: logger)
        {
          return feed(.drainObserved(observation))
        }
      case .rejoin:
        do {
          try consumer.rejoin(topics: [configuration.topic])
        } catch {
          logger.warning("rejoining the consumer group failed", metadata: ["error": "\(error)"])
        }
      case .record(let result): resultsToRecord.append(result)
      case .parkedGauge(let entry, let isParked): configuration.metrics.parked(entry, isParked)
      case .markJoined: health.markJoined()
      case .markMembershipLost: health.markMembershipLost()
      case .publishParked(let lines): health.setParked(lines)
      case .log(let level, let message, let metadata):
        logger.log(level: level, message, metadata: metadata)
      case .wait(let duration):
        Thread.sleep(forTimeInterval: duration.seconds)
      case .exit(let exit): return exit
      }
      return nil
    }

    private func record(_ result: ApplyResult) {
      configuration.metrics.committed(result)
      let metadata = result.logMetadata
      switch result.entry.outcome {
      case .rejected: logger.error("file rejected", metadata: metadata)
      case .loaded: logger.info("file loaded", metadata: metadata)
      case .superseded, .duplicate, .published:
        logger.info("file \(result.entry.outcome.rawValue)", metadata: metadata)
      }
    }

    private func setPaused(_ paused: Bool, partitions: [TopicPartition]) {
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
}
