import CRdKafka
import Foundation

/// Reads one partition from a start offset up to the end it had when the reader was opened,
/// outside any consumer group (nothing is committed). Used by replay.
///
/// `@unchecked Sendable`: it holds only a thread-safe librdkafka handle and immutable values;
/// use one reader from one task at a time.
public final class KafkaPartitionReader: @unchecked Sendable {
  public let topicPartition: TopicPartition
  /// The first offset to read (a logical `.beginning`/`.end` resolved to a concrete offset).
  public let start: Offset
  /// The high watermark when the reader was opened: messages `start ..< end` are read.
  public let end: Offset

  private let client: NativeClient
  private let position = Locked<Offset>(0)

  /// - Parameters:
  ///   - from: a concrete offset, `.beginning` or `.end`.
  ///   - timeout: for the watermark query.
  public init(
    configuration: KafkaConfiguration, topicPartition: TopicPartition, from: Offset,
    timeout: Duration = .seconds(10)
  ) throws {
    // A group id is needed by older librdkafka for a consumer handle; nothing is ever committed
    // and `assign` never joins the group.
    let effective = configuration.withDefaults([
      "group.id": "lmsds-reader-\(UUID().uuidString.lowercased())"
    ]).overriding([
      "enable.auto.commit": "false",
      "enable.auto.offset.store": "false",
      "enable.partition.eof": "true",
      "auto.offset.reset": "earliest",
    ])
    client = try NativeClient(.consumer, configuration: effective)
    rd_kafka_poll_set_consumer(client.handle)
    self.topicPartition = topicPartition
    let marks = try client.watermarks(of: topicPartition, timeout: timeout)
    switch from {
    case .beginning: start = marks.low
    case .end: start = marks.high
    default:
      guard from.isConcrete else {
        throw KafkaError.invalidArgument(
          "reader start must be an offset, .beginning or .end, got \(from)")
      }
      start = max(from, marks.low)
    }
    end = marks.high
    position.withLock { $0 = start }
    if start < end {
      let err = try TopicPartitionList.with([(topicPartition, start)]) { list in
        try client.use { rd_kafka_assign($0, list) }
      }
      guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
        throw KafkaError(err, context: "assign \(topicPartition) at \(start)")
      }
    }
  }

  deinit { close() }

  /// True when every message up to `end` was returned.
  public var isAtEnd: Bool { position.withLock { $0 } >= end }

  /// The next message, or `nil` once `end` is reached. Throws `_TIMED_OUT` if the next message
  /// does not arrive within `timeout`.
  public func next(timeout: Duration = .seconds(10)) throws -> KafkaMessage? {
    let deadline = Deadline(after: timeout)
    while !isAtEnd {
      if deadline.hasPassed {
        throw KafkaError(
          RD_KAFKA_RESP_ERR__TIMED_OUT,
          context:
            "reading \(topicPartition) at \(position.withLock { $0 }) (end \(end)) from \(client.brokersForMessages)"
        )
      }
      let wait = min(deadline.remaining, .milliseconds(200)).milliseconds
      guard let pointer = try client.use({ rd_kafka_consumer_poll($0, wait) })
      else { continue }
      switch try NativeMessage.consume(pointer) {
      case .message(let message):
        guard message.topicPartition == topicPartition, message.offset < end else { continue }
        position.withLock { $0 = message.offset.next }
        return message
      case .partitionEOF(let eofPartition, let offset):
        if eofPartition == topicPartition { position.withLock { $0 = max($0, offset) } }
      }
    }
    return nil
  }

  /// Every remaining message up to `end`; `timeout` bounds the wait for each message.
  public func readToEnd(timeout: Duration = .seconds(10)) throws -> [KafkaMessage] {
    var messages: [KafkaMessage] = []
    while let message = try next(timeout: timeout) { messages.append(message) }
    return messages
  }

  /// Releases the client (also done on deinit).
  public func close() {
    client.destroy(flags: Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE))
  }
}
