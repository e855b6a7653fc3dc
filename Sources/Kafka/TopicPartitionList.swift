import CRdKafka

/// Converts between Swift values and `rd_kafka_topic_partition_list_t` (internal only).
enum TopicPartitionList {
  typealias Pointer = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

  /// Creates a list; the caller destroys it with `rd_kafka_topic_partition_list_destroy`.
  static func make(_ entries: [(TopicPartition, Offset)]) -> Pointer {
    let list = rd_kafka_topic_partition_list_new(Int32(clamping: max(1, entries.count)))!
    for (topicPartition, offset) in entries {
      let element = rd_kafka_topic_partition_list_add(
        list, topicPartition.topic.rawValue, topicPartition.partition.rawValue)!
      element.pointee.offset = offset.rawValue
    }
    return list
  }

  static func make(_ partitions: [TopicPartition]) -> Pointer {
    make(partitions.map { ($0, Offset.invalid) })
  }

  /// Runs `body` with a temporary list.
  static func with<Result>(
    _ entries: [(TopicPartition, Offset)], _ body: (Pointer) throws -> Result
  ) rethrows -> Result {
    let list = make(entries)
    defer { rd_kafka_topic_partition_list_destroy(list) }
    return try body(list)
  }

  struct Entry {
    let topicPartition: TopicPartition
    let offset: Offset
    let error: KafkaError?
  }

  /// Reads every element of a list (does not take ownership).
  static func entries(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [Entry] {
    guard let list, let elems = list.pointee.elems else { return [] }
    return (0..<Int(list.pointee.cnt)).map { index in
      let element = elems[index]
      let error: KafkaError? =
        element.err == RD_KAFKA_RESP_ERR_NO_ERROR
        ? nil
        : KafkaError(
          element.err, context: "\(String(cString: element.topic))[\(element.partition)]")
      return Entry(
        topicPartition: TopicPartition(
          TopicName(String(cString: element.topic)), PartitionID(element.partition)),
        offset: Offset(element.offset), error: error)
    }
  }

  static func partitions(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>?)
    -> [TopicPartition]
  {
    entries(list).map(\.topicPartition).sorted()
  }

  /// Throws the first per-partition error of a list, if any.
  static func throwFirstError(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) throws {
    if let error = entries(list).lazy.compactMap(\.error).first { throw error }
  }
}
