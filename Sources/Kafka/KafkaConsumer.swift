import CRdKafka
import Foundation

/// A consumer-group member with manual, explicit offset commits.
///
/// Forced options: `group.id`, `enable.auto.commit=false`, `enable.auto.offset.store=false`.
/// Defaults (overridable through the configuration): `partition.assignment.strategy=cooperative-sticky`,
/// `auto.offset.reset=earliest`. Brokers without cooperative support can be given
/// `partition.assignment.strategy=range` (or `roundrobin`); the rebalance callback handles both
/// the cooperative (incremental) and the eager protocol.
///
/// `poll`, `commit` and `close` block the calling thread for at most their timeouts; call them from
/// one consume loop (a dedicated thread or a task that tolerates short blocking). Rebalance events
/// are delivered inside `poll`/`close` on that caller's thread — to the `onRebalance` handler
/// (synchronously, before revocations take effect, so it may commit) and to `rebalanceEvents`.
///
/// `@unchecked Sendable`: librdkafka's consumer handle is thread-safe; the Swift state (the bridge
/// to the rebalance callback and the closed flag) is immutable or lock-protected. `close` may be
/// called from another task while `poll` runs: the handle is released once the poll returns.
public final class KafkaConsumer: @unchecked Sendable {
  public static let defaultOptions: [String: String] = [
    "partition.assignment.strategy": "cooperative-sticky",
    "auto.offset.reset": "earliest",
  ]

  /// Assignment changes, in order. Finishes when the consumer is closed.
  public let rebalanceEvents: AsyncStream<RebalanceEvent>
  public let groupID: String

  private let client: NativeClient
  private let bridge: RebalanceBridge
  private let closed = Locked(false)

  public init(
    configuration: KafkaConfiguration, groupID: String,
    onRebalance: (@Sendable (RebalanceEvent) -> Void)? = nil
  ) throws {
    let (stream, continuation) = AsyncStream.makeStream(of: RebalanceEvent.self)
    let bridge = RebalanceBridge(continuation: continuation, handler: onRebalance)
    let opaque = Unmanaged.passUnretained(bridge).toOpaque()
    let effective = configuration.withDefaults(Self.defaultOptions).overriding([
      "group.id": groupID,
      "enable.auto.commit": "false",
      "enable.auto.offset.store": "false",
    ])
    do {
      client = try NativeClient(.consumer, configuration: effective) { conf in
        rd_kafka_conf_set_opaque(conf, opaque)
        rd_kafka_conf_set_rebalance_cb(conf, consumerRebalanceCallback)
        rd_kafka_conf_set_offset_commit_cb(conf, consumerOffsetCommitCallback)
      }
    } catch {
      continuation.finish()
      throw error
    }
    // Route the main queue (errors, rebalances) to the consumer queue served by `poll`.
    rd_kafka_poll_set_consumer(client.handle)
    self.bridge = bridge
    self.rebalanceEvents = stream
    self.groupID = groupID
  }

  deinit {
    try? close()
  }

  /// Joins the group for these topics (replaces any earlier subscription).
  public func subscribe(topics: [TopicName]) throws {
    let list = TopicPartitionList.make(
      topics.map { TopicPartition($0, PartitionID(RD_KAFKA_PARTITION_UA)) })
    defer { rd_kafka_topic_partition_list_destroy(list) }
    let err = try client.use { rd_kafka_subscribe($0, list) }
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError(err, context: "subscribe to \(topics.map(\.rawValue))")
    }
  }

  /// Leaves the group and joins it again for these topics, as a new join of the same member.
  /// Why: a broker can leave a member in the group without ever giving it partitions (seen with
  /// Tansu after two members left at once); a fresh join is assigned normally.
  public func rejoin(topics: [TopicName]) throws {
    let err = try client.use { rd_kafka_unsubscribe($0) }
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError(err, context: "unsubscribe from \(topics.map(\.rawValue))")
    }
    try subscribe(topics: topics)
  }

  /// Ends a `poll` waiting on another thread now, without a message: for a caller woken by
  /// something other than the broker, which would otherwise wait out the poll's timeout.
  public func interruptPoll() {
    _ = try? client.use { handle in
      guard let queue = rd_kafka_queue_get_consumer(handle) else { return }
      rd_kafka_queue_yield(queue)
      rd_kafka_queue_destroy(queue)
    }
  }

  /// The next message, or `nil` when none arrived within `timeout` (or a partition's end was
  /// reached). Serves rebalance callbacks. Consumer errors (e.g. an unknown topic, a broker
  /// failure) are thrown; most are transient and the loop may keep polling.
  public func poll(timeout: Duration) throws -> KafkaMessage? {
    guard let pointer = try client.use({ rd_kafka_consumer_poll($0, timeout.milliseconds) }) else {
      return nil
    }
    switch try NativeMessage.consume(pointer) {
    case .message(let message): return message
    case .partitionEOF: return nil
    }
  }

  /// Synchronously commits, for each partition, the next offset to read (processed offset + 1).
  public func commit(offsets: [TopicPartition: Offset]) throws {
    guard !offsets.isEmpty else { return }
    try TopicPartitionList.with(offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) {
      list in
      let err = try client.use { rd_kafka_commit($0, list, 0) }
      guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
        throw KafkaError(err, context: "commit for group \(groupID)")
      }
      try TopicPartitionList.throwFirstError(list)
    }
  }

  /// Sends an offset commit and returns at once; its answer comes back through a later `poll`
  /// and is read with `takeCommitResults`. Throws only what fails before a request is sent.
  /// Why: a synchronous commit waits as long as the group coordinator is unreachable (up to
  /// `socket.timeout.ms`, 60 s by default), and a consume loop that does not poll meanwhile
  /// misses its heartbeats and `max.poll.interval.ms`.
  public func commitAsync(offsets: [TopicPartition: Offset]) throws {
    guard !offsets.isEmpty else { return }
    try TopicPartitionList.with(offsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) {
      list in
      let err = try client.use { rd_kafka_commit($0, list, 1) }
      guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
        throw KafkaError(err, context: "commit for group \(groupID)")
      }
    }
  }

  /// The answers to commits that arrived since the last call, oldest first (synchronous commits'
  /// included).
  public func takeCommitResults() -> [OffsetCommitResult] {
    bridge.commitResults.withLock { results in
      defer { results = [] }
      return results
    }
  }

  /// A synchronous commit that waits at most `timeout`: past it, this throws `_TIMED_OUT` and the
  /// commit goes on in the background (for a last commit before leaving, which must not hold a
  /// stopping process for as long as a coordinator is away).
  public func commit(offsets: [TopicPartition: Offset], waitingAtMost timeout: Duration) throws {
    let outcome = Locked<Result<Void, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread { [self] in
      let result = Result { try commit(offsets: offsets) }
      outcome.withLock { $0 = result }
      done.signal()
    }
    thread.name = "lmsds-kafka-commit"
    thread.start()
    guard done.wait(timeout: .now() + .milliseconds(Int(timeout.milliseconds))) == .success else {
      throw KafkaError(
        RD_KAFKA_RESP_ERR__TIMED_OUT,
        context: "commit for group \(groupID) not answered within \(timeout)")
    }
    try outcome.withLock { $0 }?.get()
  }

  /// Commits `message.offset + 1` for the message's partition.
  public func commit(message: KafkaMessage) throws {
    try commit(offsets: [message.topicPartition: message.offset.next])
  }

  /// The group's committed offsets (next offset to read; `.invalid` when none).
  public func committed(_ partitions: [TopicPartition], timeout: Duration) throws
    -> [TopicPartition: Offset]
  {
    return try TopicPartitionList.with(partitions.map { ($0, Offset.invalid) }) { list in
      let err = try client.use { rd_kafka_committed($0, list, timeout.milliseconds) }
      guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
        throw KafkaError(err, context: "committed offsets for group \(groupID)")
      }
      try TopicPartitionList.throwFirstError(list)
      return Dictionary(
        uniqueKeysWithValues: TopicPartitionList.entries(list).map {
          ($0.topicPartition, $0.offset)
        })
    }
  }

  /// Stops fetching from these (assigned) partitions until `resume`; the membership stays alive
  /// as long as `poll` keeps being called.
  public func pause(partitions: [TopicPartition]) throws {
    try TopicPartitionList.with(partitions.map { ($0, Offset.invalid) }) { list in
      let err = try client.use { rd_kafka_pause_partitions($0, list) }
      guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "pause") }
      try TopicPartitionList.throwFirstError(list)
    }
  }

  public func resume(partitions: [TopicPartition]) throws {
    try TopicPartitionList.with(partitions.map { ($0, Offset.invalid) }) { list in
      let err = try client.use { rd_kafka_resume_partitions($0, list) }
      guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "resume") }
      try TopicPartitionList.throwFirstError(list)
    }
  }

  /// The partitions currently assigned to this member, sorted.
  public func assignment() throws -> [TopicPartition] {
    var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    let err = try client.use { rd_kafka_assignment($0, &list) }
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: "assignment") }
    defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
    return TopicPartitionList.partitions(list)
  }

  /// Moves the fetch position of an assigned partition (the next `poll` returns `offset`).
  public func seek(
    _ topicPartition: TopicPartition, to offset: Offset, timeout: Duration = .seconds(5)
  ) throws {
    try TopicPartitionList.with([(topicPartition, offset)]) { list in
      if let error = try client.use({ rd_kafka_seek_partitions($0, list, timeout.milliseconds) }) {
        throw KafkaError(consuming: error, context: "seek \(topicPartition) to \(offset)")
      }
      try TopicPartitionList.throwFirstError(list)
    }
  }

  /// Low and high watermarks of one partition, asked of its leader (is an offset still held?).
  public func watermarks(of topicPartition: TopicPartition, timeout: Duration = .seconds(5))
    throws -> PartitionWatermarks
  {
    try client.watermarks(of: topicPartition, timeout: timeout)
  }

  /// The id the group coordinator gave this member; `nil` until the first join completes.
  public var memberID: String? {
    try? client.use { handle -> String? in
      guard let id = rd_kafka_memberid(handle) else { return nil }
      defer { rd_kafka_mem_free(handle, id) }
      let text = String(cString: id)
      return text.isEmpty ? nil : text
    } ?? nil
  }

  /// "COOPERATIVE", "EAGER" or "NONE" (not in a group yet).
  public var rebalanceProtocol: String {
    (try? client.use { rd_kafka_rebalance_protocol($0).map { String(cString: $0) } }) ?? "NONE"
  }

  /// Releases the client without a LeaveGroup request: the coordinator removes this member when
  /// its session times out, and only then hands its partitions on. Commit what is done first
  /// (no revocation is reported). Calling it, or `close`, again does nothing.
  ///
  /// Why: members that send LeaveGroup at the same moment can leave a broker's group in a state
  /// where the next members join and are never assigned a partition (reproduced with Tansu 0.6
  /// in 3 of 7 trials with two members, both protocols; none in the trials without LeaveGroup,
  /// where the next pair was assigned ~11 s later).
  ///
  /// Returns false when librdkafka had not finished releasing the handle within `timeout`: seen
  /// when the member was still in the middle of a join (the destroy waits for the group
  /// coordinator's answer, which a stranded group never gives). The release then goes on in the
  /// background; a process about to exit loses nothing by not waiting for it.
  @discardableResult
  public func closeWithoutLeaving(timeout: Duration = .seconds(5)) -> Bool {
    let wasOpen = closed.withLock { closed in
      defer { closed = true }
      return !closed
    }
    guard wasOpen else { return true }
    bridge.continuation.finish()
    let released = DispatchSemaphore(value: 0)
    let client = self.client
    let thread = Thread {
      client.destroy(flags: Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE))
      released.signal()
    }
    thread.name = "lmsds-kafka-consumer-release"
    thread.start()
    return released.wait(timeout: .now() + .milliseconds(Int(timeout.milliseconds))) == .success
  }

  /// Leaves the group cleanly (revocation is reported first, so a handler can commit) and
  /// releases the client. Calling it again does nothing.
  public func close() throws {
    let wasOpen = closed.withLock { closed in
      defer { closed = true }
      return !closed
    }
    guard wasOpen else { return }
    // Calls from other threads may still run (the handle is thread-safe); `destroy` waits for them.
    let err = (try? client.use { rd_kafka_consumer_close($0) }) ?? RD_KAFKA_RESP_ERR_NO_ERROR
    bridge.continuation.finish()
    client.destroy(flags: Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE))
    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
      throw KafkaError(err, context: "closing consumer of group \(groupID)")
    }
  }

}

/// What the C rebalance and offset-commit callbacks reach through the configuration opaque.
private final class RebalanceBridge: Sendable {
  let continuation: AsyncStream<RebalanceEvent>.Continuation
  let handler: (@Sendable (RebalanceEvent) -> Void)?
  /// Answers to offset commits not taken yet (the newest 100: nobody may be taking them).
  let commitResults = Locked<[OffsetCommitResult]>([])

  func record(_ result: OffsetCommitResult) {
    commitResults.withLock { results in
      results.append(result)
      if results.count > 100 { results.removeFirst(results.count - 100) }
    }
  }

  init(
    continuation: AsyncStream<RebalanceEvent>.Continuation,
    handler: (@Sendable (RebalanceEvent) -> Void)?
  ) {
    self.continuation = continuation
    self.handler = handler
  }

  func emit(_ event: RebalanceEvent) {
    handler?(event)
    continuation.yield(event)
  }
}

private let consumerRebalanceCallback:
  @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    UnsafeMutableRawPointer?
  ) -> Void = { handle, err, partitions, opaque in
    guard let handle, let opaque else { return }
    let bridge = Unmanaged<RebalanceBridge>.fromOpaque(opaque).takeUnretainedValue()
    let cooperative =
      rd_kafka_rebalance_protocol(handle).map { String(cString: $0) } == "COOPERATIVE"
    let changed = TopicPartitionList.partitions(partitions)
    switch err {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
      if cooperative {
        if let error = rd_kafka_incremental_assign(handle, partitions) {
          bridge.emit(.error(KafkaError(consuming: error, context: "incremental assign")))
          return
        }
      } else {
        let assignErr = rd_kafka_assign(handle, partitions)
        if assignErr != RD_KAFKA_RESP_ERR_NO_ERROR {
          bridge.emit(.error(KafkaError(assignErr, context: "assign")))
          return
        }
      }
      // The cooperative protocol's follow-up rounds often add nothing: report real changes only.
      if !(cooperative && changed.isEmpty) { bridge.emit(.assigned(changed)) }
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
      if !(cooperative && changed.isEmpty) {
        bridge.emit(.revoked(changed, lost: rd_kafka_assignment_lost(handle) != 0))
      }
      if cooperative {
        if let error = rd_kafka_incremental_unassign(handle, partitions) {
          bridge.emit(.error(KafkaError(consuming: error, context: "incremental unassign")))
        }
      } else {
        _ = rd_kafka_assign(handle, nil)
      }
    default:
      _ = rd_kafka_assign(handle, nil)
      bridge.emit(.error(KafkaError(err, context: "rebalance")))
    }
  }

private let consumerOffsetCommitCallback:
  @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    UnsafeMutableRawPointer?
  ) -> Void = { _, err, offsets, opaque in
    guard let opaque else { return }
    let bridge = Unmanaged<RebalanceBridge>.fromOpaque(opaque).takeUnretainedValue()
    let entries = TopicPartitionList.entries(offsets)
    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
      bridge.record(
        OffsetCommitResult(committed: [:], error: KafkaError(err, context: "offset commit")))
      return
    }
    var committed: [TopicPartition: Offset] = [:]
    for entry in entries where entry.error == nil { committed[entry.topicPartition] = entry.offset }
    bridge.record(
      OffsetCommitResult(committed: committed, error: entries.lazy.compactMap(\.error).first))
  }
