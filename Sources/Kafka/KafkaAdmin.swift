import CRdKafka
import Foundation

/// Topic administration and offset queries (metadata, watermarks, timestamps, group offsets).
///
/// Every call blocks the calling thread for at most its `timeout`.
/// `@unchecked Sendable`: it holds only a thread-safe librdkafka handle.
public final class KafkaAdmin: @unchecked Sendable {
  private let client: NativeClient
  private let configuration: KafkaConfiguration

  public init(configuration: KafkaConfiguration) throws {
    // A producer-type handle: the admin API, metadata and ListOffsets need no group.
    // Metadata lookups must not create topics as a side effect.
    let effective = configuration.overriding(["allow.auto.create.topics": "false"])
    self.configuration = configuration
    self.client = try NativeClient(.producer, configuration: effective)
  }

  deinit { client.destroy() }

  /// Releases the client (also done on deinit).
  public func close() { client.destroy() }

  /// Creates a topic; returns false when it already existed (whatever its partition count).
  /// Waits until the broker's metadata shows the topic.
  /// - Parameter replicationFactor: `nil` asks for the broker's default.
  @discardableResult
  public func createTopic(
    _ topic: TopicName, partitions: Int, replicationFactor: Int? = nil,
    timeout: Duration = .seconds(30)
  ) throws -> Bool {
    let deadline = Deadline(after: timeout)
    let created = try client.use { handle in
      try requestTopic(
        topic, partitions: partitions, replicationFactor: replicationFactor, handle: handle,
        timeout: timeout)
    }
    // Metadata propagates asynchronously on some brokers: wait until the topic is visible.
    while try client.partitionCount(of: topic, timeout: min(deadline.remaining, .seconds(5))) == nil
    {
      if deadline.hasPassed {
        throw KafkaError(
          RD_KAFKA_RESP_ERR__TIMED_OUT,
          context: "topic \(topic) not visible in metadata after creation")
      }
      usleep(100_000)
    }
    return created
  }

  private func requestTopic(
    _ topic: TopicName, partitions: Int, replicationFactor: Int?, handle: OpaquePointer,
    timeout: Duration
  ) throws -> Bool {
    var errstr = [CChar](repeating: 0, count: 512)
    guard
      let newTopic = rd_kafka_NewTopic_new(
        topic.rawValue, Int32(clamping: partitions), Int32(clamping: replicationFactor ?? -1),
        &errstr,
        errstr.count)
    else {
      throw KafkaError.invalidArgument("topic \(topic): \(String(errorBuffer: errstr))")
    }
    defer { rd_kafka_NewTopic_destroy(newTopic) }
    let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
    defer { rd_kafka_AdminOptions_destroy(options) }
    _ = rd_kafka_AdminOptions_set_request_timeout(
      options, timeout.milliseconds, &errstr, errstr.count)
    _ = rd_kafka_AdminOptions_set_operation_timeout(
      options, timeout.milliseconds, &errstr, errstr.count)
    let queue = rd_kafka_queue_new(handle)
    defer { rd_kafka_queue_destroy(queue) }

    var topics: [OpaquePointer?] = [newTopic]
    rd_kafka_CreateTopics(handle, &topics, 1, options, queue)
    guard let event = rd_kafka_queue_poll(queue, timeout.milliseconds + 1000) else {
      throw KafkaError(
        RD_KAFKA_RESP_ERR__TIMED_OUT,
        context: "create topic \(topic) on \(client.brokersForMessages)")
    }
    defer { rd_kafka_event_destroy(event) }
    let eventErr = rd_kafka_event_error(event)
    if eventErr != RD_KAFKA_RESP_ERR_NO_ERROR {
      throw KafkaError(
        eventErr, message: rd_kafka_event_error_string(event).map { String(cString: $0) },
        context: "create topic \(topic) on \(client.brokersForMessages)")
    }
    var created = true
    var count = 0
    if let result = rd_kafka_event_CreateTopics_result(event),
      let results = rd_kafka_CreateTopics_result_topics(result, &count)
    {
      for index in 0..<count {
        guard let topicResult = results[index] else { continue }
        let err = rd_kafka_topic_result_error(topicResult)
        if err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
          created = false
        } else if err != RD_KAFKA_RESP_ERR_NO_ERROR {
          throw KafkaError(
            err,
            message: rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) },
            context: "create topic \(topic)")
        }
      }
    }
    return created
  }

  /// The topic's partition count, `nil` when the topic does not exist.
  public func partitionCount(of topic: TopicName, timeout: Duration = .seconds(10)) throws -> Int? {
    try client.partitionCount(of: topic, timeout: timeout)
  }

  /// Low/high watermarks of every partition of the topic (high = end offset, for lag).
  public func watermarks(of topic: TopicName, timeout: Duration = .seconds(10)) throws
    -> [PartitionID: PartitionWatermarks]
  {
    let deadline = Deadline(after: timeout)
    let count = try requirePartitionCount(topic, timeout: timeout)
    var result: [PartitionID: PartitionWatermarks] = [:]
    for partition in 0..<Int32(count) {
      result[PartitionID(partition)] = try client.watermarks(
        of: TopicPartition(topic, PartitionID(partition)), timeout: deadline.remaining)
    }
    return result
  }

  /// End offsets (high watermarks) of every partition.
  public func endOffsets(of topic: TopicName, timeout: Duration = .seconds(10)) throws
    -> [PartitionID: Offset]
  {
    try watermarks(of: topic, timeout: timeout).mapValues(\.high)
  }

  /// For each partition, the earliest offset whose timestamp is at or after `timestampMs`;
  /// `.end` for a partition with no such message (replay from there reads nothing).
  /// Caution: some brokers answer imprecisely (Tansu 0.6 returns 0 instead of `.end` for a
  /// timestamp after the last message; librdkafka's mock cluster returns `.end` for every
  /// timestamp), so a replay should also skip messages whose `timestampMs` is before its start.
  public func offsetsForTimes(
    topic: TopicName, timestampMs: Int64, timeout: Duration = .seconds(10)
  ) throws -> [PartitionID: Offset] {
    let deadline = Deadline(after: timeout)
    let count = try requirePartitionCount(topic, timeout: timeout)
    let entries = (0..<Int32(count)).map {
      (TopicPartition(topic, PartitionID($0)), Offset(timestampMs))
    }
    return try TopicPartitionList.with(entries) { list in
      let err = try client.use {
        rd_kafka_offsets_for_times($0, list, deadline.remaining.milliseconds)
      }
      guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
        throw KafkaError(err, context: "offsets for time \(timestampMs) in \(topic)")
      }
      try TopicPartitionList.throwFirstError(list)
      return Dictionary(
        uniqueKeysWithValues: TopicPartitionList.entries(list).map {
          ($0.topicPartition.partition, $0.offset)
        })
    }
  }

  /// A group's committed offsets for every partition of the topic (`.invalid` where none).
  /// Does not join the group.
  public func committedOffsets(group: String, topic: TopicName, timeout: Duration = .seconds(10))
    throws
    -> [PartitionID: Offset]
  {
    let deadline = Deadline(after: timeout)
    let count = try requirePartitionCount(topic, timeout: timeout)
    let reader = try NativeClient(
      .consumer,
      configuration: configuration.overriding([
        "group.id": group, "enable.auto.commit": "false", "enable.auto.offset.store": "false",
      ]))
    defer { reader.destroy(flags: Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)) }
    let entries = (0..<Int32(count)).map {
      (TopicPartition(topic, PartitionID($0)), Offset.invalid)
    }
    return try TopicPartitionList.with(entries) { list in
      let err = try reader.use { rd_kafka_committed($0, list, deadline.remaining.milliseconds) }
      guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
        throw KafkaError(err, context: "committed offsets of group \(group) for \(topic)")
      }
      try TopicPartitionList.throwFirstError(list)
      return Dictionary(
        uniqueKeysWithValues: TopicPartitionList.entries(list).map {
          ($0.topicPartition.partition, $0.offset)
        })
    }
  }

  /// Messages not yet committed by the group, per partition (end offset − committed offset;
  /// where nothing was committed, end − low watermark).
  public func lag(group: String, topic: TopicName, timeout: Duration = .seconds(10)) throws
    -> [PartitionID: Int64]
  {
    let deadline = Deadline(after: timeout)
    let marks = try watermarks(of: topic, timeout: timeout)
    let committed = try committedOffsets(group: group, topic: topic, timeout: deadline.remaining)
    return marks.reduce(into: [:]) { result, entry in
      let start = committed[entry.key].flatMap { $0.isConcrete ? $0 : nil } ?? entry.value.low
      result[entry.key] = max(0, entry.value.high.rawValue - start.rawValue)
    }
  }

  private func requirePartitionCount(_ topic: TopicName, timeout: Duration) throws -> Int {
    guard let count = try client.partitionCount(of: topic, timeout: timeout) else {
      throw KafkaError(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, context: "topic \(topic)")
    }
    return count
  }
}
