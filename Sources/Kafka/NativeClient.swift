import CRdKafka
import Foundation

/// Owns one `rd_kafka_t` handle (internal).
///
/// `@unchecked Sendable`: librdkafka documents its handles as thread-safe — any `rd_kafka_*`
/// call on an `rd_kafka_t` may come from any thread — and the pointer never changes. The only
/// mutable state, whether the handle was destroyed, is guarded by a lock. Owners make sure no
/// call is in flight when they destroy the handle: calls made through `use` are counted, and
/// `destroy` waits for them to finish and refuses later ones.
final class NativeClient: @unchecked Sendable {
  /// The raw handle: only for code whose lifetime is bound to the client (set-up, an owned
  /// polling thread stopped before `destroy`). Everything else goes through `use`.
  let handle: OpaquePointer
  let configuration: KafkaConfiguration
  private let gate = NSCondition()
  private var inFlight = 0  // guarded by `gate`
  private var destroyed = false  // guarded by `gate`

  enum Kind {
    case producer, consumer
    var native: rd_kafka_type_t { self == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER }
  }

  /// Creates the handle. `prepare` may install callbacks on the `rd_kafka_conf_t` before use.
  init(_ kind: Kind, configuration: KafkaConfiguration, prepare: (OpaquePointer) -> Void = { _ in })
    throws
  {
    // Producer-type handles (producers, admin) would print a CONFWARN for each consumer setting.
    let effective = kind == .producer ? configuration.withoutConsumerOnlyOptions() : configuration
    let conf = try effective.makeNative()
    KafkaLog.install(on: conf)
    prepare(conf)
    var errstr = [CChar](repeating: 0, count: 512)
    guard let handle = rd_kafka_new(kind.native, conf, &errstr, errstr.count) else {
      rd_kafka_conf_destroy(conf)  // not taken over on failure
      let text = String(errorBuffer: errstr)
      throw KafkaError.invalidArgument(configuration.redact("cannot create Kafka client: \(text)"))
    }
    self.handle = handle
    self.configuration = configuration
  }

  /// Runs `body` with the handle, unless the client was destroyed (then throws `_DESTROY`).
  /// Calls may nest (e.g. a commit from a rebalance callback served inside a poll).
  func use<Result>(_ body: (OpaquePointer) throws -> Result) throws -> Result {
    gate.lock()
    guard !destroyed else {
      gate.unlock()
      throw KafkaError(RD_KAFKA_RESP_ERR__DESTROY, message: "Kafka client is closed")
    }
    inFlight += 1
    gate.unlock()
    defer {
      gate.lock()
      inFlight -= 1
      if inFlight == 0 { gate.broadcast() }
      gate.unlock()
    }
    return try body(handle)
  }

  /// Destroys the handle once, after calls in flight finished; later calls do nothing.
  /// Must not be called from inside `use`.
  func destroy(flags: Int32 = 0) {
    gate.lock()
    guard !destroyed else {
      gate.unlock()
      return
    }
    destroyed = true
    while inFlight > 0 { gate.wait() }
    gate.unlock()
    rd_kafka_destroy_flags(handle, flags)
  }

  deinit { destroy(flags: Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE)) }

  var brokersForMessages: String { configuration.bootstrapServers ?? "(no bootstrap.servers)" }

  /// The partition count of a topic from broker metadata, `nil` when the topic does not exist.
  func partitionCount(of topic: TopicName, timeout: Duration) throws -> Int? {
    try use { handle in try partitionCount(of: topic, handle: handle, timeout: timeout) }
  }

  private func partitionCount(of topic: TopicName, handle: OpaquePointer, timeout: Duration) throws
    -> Int?
  {
    guard let topicHandle = rd_kafka_topic_new(handle, topic.rawValue, nil) else {
      throw KafkaError(rd_kafka_last_error(), context: "topic \(topic)")
    }
    defer { rd_kafka_topic_destroy(topicHandle) }
    var metadata: UnsafePointer<rd_kafka_metadata>?
    let err = rd_kafka_metadata(handle, 0, topicHandle, &metadata, timeout.milliseconds)
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
      throw KafkaError(err, context: "metadata for topic \(topic) from \(brokersForMessages)")
    }
    defer { rd_kafka_metadata_destroy(metadata) }
    for index in 0..<Int(metadata.pointee.topic_cnt) {
      let entry = metadata.pointee.topics[index]
      guard String(cString: entry.topic) == topic.rawValue else { continue }
      if entry.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART { return nil }
      if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
        throw KafkaError(entry.err, context: "metadata for topic \(topic)")
      }
      return Int(entry.partition_cnt)
    }
    return nil
  }

  /// Low and high watermarks of one partition, asked of its leader.
  func watermarks(of topicPartition: TopicPartition, timeout: Duration) throws
    -> PartitionWatermarks
  {
    var low: Int64 = 0
    var high: Int64 = 0
    let err = try use { handle in
      rd_kafka_query_watermark_offsets(
        handle, topicPartition.topic.rawValue, topicPartition.partition.rawValue, &low, &high,
        timeout.milliseconds)
    }
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError(err, context: "watermarks of \(topicPartition) from \(brokersForMessages)")
    }
    return PartitionWatermarks(low: Offset(low), high: Offset(high))
  }
}
