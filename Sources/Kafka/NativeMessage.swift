import CRdKafka

/// Conversion of a consumed `rd_kafka_message_t` (internal).
enum NativeMessage {
  enum Outcome {
    case message(KafkaMessage)
    case partitionEOF(TopicPartition, Offset)
  }

  /// Converts and destroys `pointer`; throws the message's error (other than partition EOF).
  static func consume(_ pointer: UnsafeMutablePointer<rd_kafka_message_t>) throws -> Outcome {
    defer { rd_kafka_message_destroy(pointer) }
    let message = pointer.pointee
    let topic = message.rkt.map { TopicName(String(cString: rd_kafka_topic_name($0))) }
    if message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF, let topic {
      return .partitionEOF(
        TopicPartition(topic, PartitionID(message.partition)), Offset(message.offset))
    }
    if message.err != RD_KAFKA_RESP_ERR_NO_ERROR {
      let text = rd_kafka_message_errstr(pointer).map { String(cString: $0) }
      let context = topic.map { "\($0)[\(message.partition)]" }
      throw KafkaError(message.err, message: text, context: context)
    }
    let key: [UInt8]? = message.key.map {
      Array(UnsafeRawBufferPointer(start: $0, count: message.key_len))
    }
    let value: [UInt8] =
      message.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: message.len)) } ?? []
    var headers: [KafkaHeader] = []
    var nativeHeaders: OpaquePointer?
    if rd_kafka_message_headers(pointer, &nativeHeaders) == RD_KAFKA_RESP_ERR_NO_ERROR,
      let nativeHeaders
    {
      var index = 0
      var name: UnsafePointer<CChar>?
      var bytes: UnsafeRawPointer?
      var size = 0
      while rd_kafka_header_get_all(nativeHeaders, index, &name, &bytes, &size)
        == RD_KAFKA_RESP_ERR_NO_ERROR
      {
        headers.append(
          KafkaHeader(
            name: name.map { String(cString: $0) } ?? "",
            value: bytes.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
        index += 1
      }
    }
    var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
    let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
    return .message(
      KafkaMessage(
        topic: topic ?? TopicName(""), partition: PartitionID(message.partition),
        offset: Offset(message.offset),
        key: key, value: value, headers: headers,
        timestampMs: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || timestamp < 0
          ? nil : timestamp))
  }
}
