import CRdKafka
import Foundation

/// Publishes messages and awaits each one's delivery report.
///
/// Idempotent by default (`enable.idempotence=true`: no duplicates or reordering from internal
/// retries) and partitions keyed messages with `murmur2_random` — the Java client's partitioner —
/// so every client agrees on the partition of a key. Both can be overridden through the
/// configuration (e.g. for a broker without idempotence support).
///
/// A dedicated thread serves librdkafka's callbacks (`rd_kafka_poll`); each `send` parks a
/// continuation whose retained box travels with the message as its opaque and is resumed exactly
/// once by the delivery-report callback, so no shared table of pending sends is needed.
///
/// `@unchecked Sendable`: the `rd_kafka_t` handle is thread-safe, and the mutable state (closed
/// flag, last broker error) lives in a lock-protected `ProducerState`.
public final class KafkaProducer: @unchecked Sendable {
  /// Defaults applied when the configuration does not set them.
  ///
  /// `enable.sparse.connections=false` serves idempotence: librdkafka asks a broker for the
  /// producer ID on a fixed 500 ms timer, and only a broker already connected. Connected sparsely
  /// (when something needs a broker), none was at the first tick, which only started connecting
  /// one, so the ID came at the second tick and the first message of every `produce` waited about
  /// a second for it (the fleet bench: 1.2–1.3 s from the produce's start to the first file
  /// loaded). Connecting each broker as soon as metadata names it lets the first tick ask
  /// (0.4–0.5 s), at the cost of one connection per broker of the cluster.
  public static let defaultOptions: [String: String] = [
    "enable.idempotence": "true",
    "enable.sparse.connections": "false",
    "partitioner": "murmur2_random",
  ]

  /// The configuration the producer runs with: the caller's settings, then the defaults.
  public static func effectiveConfiguration(_ configuration: KafkaConfiguration)
    -> KafkaConfiguration
  {
    configuration.withDefaults(defaultOptions)
  }

  private let client: NativeClient
  private let state: ProducerState
  private let pollerFinished = DispatchSemaphore(value: 0)

  public init(configuration: KafkaConfiguration) throws {
    let state = ProducerState()
    let opaque = Unmanaged.passUnretained(state).toOpaque()
    client = try NativeClient(
      .producer, configuration: Self.effectiveConfiguration(configuration)
    ) {
      conf in
      rd_kafka_conf_set_opaque(conf, opaque)
      rd_kafka_conf_set_dr_msg_cb(conf, producerDeliveryCallback)
      rd_kafka_conf_set_error_cb(conf, producerErrorCallback)
    }
    self.state = state
    startPoller()
  }

  deinit {
    shutdown(flushTimeout: .zero)
  }

  private func startPoller() {
    let client = self.client
    let state = self.state
    let finished = pollerFinished
    let thread = Thread {
      while !state.withLock({ $0.stopPolling }) {
        rd_kafka_poll(client.handle, 100)
      }
      finished.signal()
    }
    thread.name = "lmsds-kafka-producer-poll"
    thread.start()
  }

  /// Publishes one message and returns where it was stored once the broker acknowledged it.
  /// - Parameters:
  ///   - key: `nil` for no key (then the partition is random).
  ///   - partition: an explicit partition instead of the key's.
  public func send(
    topic: TopicName, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = [],
    partition: PartitionID? = nil
  ) async throws -> (partition: PartitionID, offset: Offset) {
    try await withCheckedThrowingContinuation { continuation in
      let box = Unmanaged.passRetained(DeliveryBox(continuation: continuation, topic: topic))
      do {
        try enqueue(
          topic: topic, key: key, value: value, headers: headers, partition: partition,
          opaque: box.toOpaque())
      } catch {
        box.release()
        continuation.resume(throwing: error)
      }
    }
  }

  public func send(
    topic: TopicName, key: String, value: [UInt8], headers: [KafkaHeader] = [],
    partition: PartitionID? = nil
  ) async throws -> (partition: PartitionID, offset: Offset) {
    try await send(
      topic: topic, key: Array(key.utf8), value: value, headers: headers, partition: partition)
  }

  public func send(
    topic: TopicName, key: [UInt8]?, value: [UInt8], headers: [(String, [UInt8])]
  ) async throws -> (partition: PartitionID, offset: Offset) {
    try await send(
      topic: topic, key: key, value: value, headers: headers.map { KafkaHeader($0.0, $0.1) })
  }

  public func send(
    topic: TopicName, key: String, value: [UInt8], headers: [(String, [UInt8])]
  ) async throws -> (partition: PartitionID, offset: Offset) {
    try await send(
      topic: topic, key: Array(key.utf8), value: value,
      headers: headers.map { KafkaHeader($0.0, $0.1) })
  }

  /// Waits until every message handed to `send` got its delivery report.
  public func flush(timeout: Duration) throws {
    let (err, pending) = try client.use { handle in
      (rd_kafka_flush(handle, timeout.milliseconds), rd_kafka_outq_len(handle))
    }
    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
      throw KafkaError(
        err, context: "flush: \(pending) message(s) still pending\(state.lastErrorSuffix)")
    }
  }

  /// Flushes (up to `timeout`), fails whatever is still pending, and releases the client.
  /// Further `send` calls throw. Calling it again does nothing.
  public func close(timeout: Duration = .seconds(10)) {
    shutdown(flushTimeout: timeout)
  }

  private func shutdown(flushTimeout: Duration) {
    let wasOpen = state.withLock { state in
      defer { state.closed = true }
      return !state.closed
    }
    guard wasOpen else { return }
    let handle = client.handle
    if flushTimeout > .zero { _ = rd_kafka_flush(handle, flushTimeout.milliseconds) }
    // Fail what is left; the purged messages' delivery reports resume their senders.
    _ = rd_kafka_purge(handle, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
    _ = rd_kafka_flush(handle, 5000)
    state.withLock { $0.stopPolling = true }
    pollerFinished.wait()
    client.destroy()
  }

  private func enqueue(
    topic: TopicName, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader],
    partition: PartitionID?,
    opaque: UnsafeMutableRawPointer
  ) throws {
    // Held while enqueueing so that `close` cannot destroy the handle under us and every
    // enqueued message is seen by the final flush/purge (rd_kafka_produceva never blocks here).
    try state.withLock { values in
      guard !values.closed else {
        throw KafkaError(
          RD_KAFKA_RESP_ERR__DESTROY, message: "producer is closed", context: "send to \(topic)")
      }
      var nativeHeaders: OpaquePointer? = nil
      if !headers.isEmpty {
        let list = rd_kafka_headers_new(headers.count)!
        for header in headers {
          let err: rd_kafka_resp_err_t
          if let bytes = header.value {
            err = bytes.withUnsafeBytes {
              rd_kafka_header_add(list, header.name, -1, $0.baseAddress, $0.count)
            }
          } else {
            err = rd_kafka_header_add(list, header.name, -1, nil, 0)
          }
          if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_headers_destroy(list)
            throw KafkaError(err, context: "header \(header.name)")
          }
        }
        nativeHeaders = list
      }
      let error: OpaquePointer? = topic.rawValue.withCString { topicName in
        value.withUnsafeBytes { valueBytes in
          (key ?? []).withUnsafeBytes { keyBytes in
            var fields: [rd_kafka_vu_t] = []
            fields.append(field(RD_KAFKA_VTYPE_TOPIC) { $0.cstr = topicName })
            fields.append(field(RD_KAFKA_VTYPE_MSGFLAGS) { $0.i = RD_KAFKA_MSG_F_COPY })
            fields.append(
              field(RD_KAFKA_VTYPE_VALUE) {
                $0.mem.ptr = UnsafeMutableRawPointer(mutating: valueBytes.baseAddress)
                $0.mem.size = valueBytes.count
              })
            if key != nil {
              fields.append(
                field(RD_KAFKA_VTYPE_KEY) {
                  $0.mem.ptr = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
                  $0.mem.size = keyBytes.count
                })
            }
            if let partition {
              fields.append(field(RD_KAFKA_VTYPE_PARTITION) { $0.i32 = partition.rawValue })
            }
            if let nativeHeaders {
              fields.append(field(RD_KAFKA_VTYPE_HEADERS) { $0.headers = nativeHeaders })
            }
            fields.append(field(RD_KAFKA_VTYPE_OPAQUE) { $0.ptr = opaque })
            return rd_kafka_produceva(client.handle, fields, fields.count)
          }
        }
      }
      if let error {
        // librdkafka takes the headers over only when the send succeeds.
        if let nativeHeaders { rd_kafka_headers_destroy(nativeHeaders) }
        let last = values.lastError.map { "; last broker error: \($0)" } ?? ""
        throw KafkaError(consuming: error, context: "send to \(topic)\(last)")
      }
    }
  }
}

private func field(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t.__Unnamed_union_u) -> Void)
  -> rd_kafka_vu_t
{
  var vu = rd_kafka_vu_t()
  vu.vtype = type
  set(&vu.u)
  return vu
}

/// The continuation of one `send`, carried through librdkafka as the message's opaque.
private final class DeliveryBox: Sendable {
  let continuation: CheckedContinuation<(partition: PartitionID, offset: Offset), any Error>
  let topic: TopicName

  init(
    continuation: CheckedContinuation<(partition: PartitionID, offset: Offset), any Error>,
    topic: TopicName
  ) {
    self.continuation = continuation
    self.topic = topic
  }
}

/// Producer state shared with librdkafka's callbacks (through the configuration opaque).
final class ProducerState: @unchecked Sendable {
  // `@unchecked Sendable`: `values` is only touched through `withLock`.
  struct Values {
    var closed = false
    var stopPolling = false
    var lastError: String?
  }

  private let values = Locked(Values())

  func withLock<Result>(_ body: (inout Values) throws -> Result) rethrows -> Result {
    try values.withLock(body)
  }

  /// "; last broker error: …" when librdkafka reported one (helps explain timeouts).
  var lastErrorSuffix: String {
    withLock { $0.lastError }.map { "; last broker error: \($0)" } ?? ""
  }
}

private let producerDeliveryCallback:
  @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) ->
    Void = {
      _, message, stateOpaque in
      guard let message, let opaque = message.pointee._private else { return }
      let box = Unmanaged<DeliveryBox>.fromOpaque(opaque).takeRetainedValue()
      let err = message.pointee.err
      if err == RD_KAFKA_RESP_ERR_NO_ERROR {
        box.continuation.resume(
          returning: (PartitionID(message.pointee.partition), Offset(message.pointee.offset)))
      } else {
        let suffix =
          stateOpaque.map {
            Unmanaged<ProducerState>.fromOpaque($0).takeUnretainedValue().lastErrorSuffix
          } ?? ""
        box.continuation.resume(
          throwing: KafkaError(err, context: "delivery to \(box.topic)\(suffix)"))
      }
    }

private let producerErrorCallback:
  @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void =
    {
      _, err, reason, stateOpaque in
      guard let stateOpaque else { return }
      let state = Unmanaged<ProducerState>.fromOpaque(stateOpaque).takeUnretainedValue()
      let name = String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: err)))
      let text = reason.map { String(cString: $0) } ?? ""
      state.withLock { $0.lastError = "\(name) \(text)" }
    }
