import Foundation
import Testing

@testable import Kafka

/// Against a real Kafka-protocol broker process (Tansu), when `LMSDS_TEST_KAFKA_BROKERS` is set:
///
///     eval "$(scripts/start-tansu.sh .tools)"
///     LD_LIBRARY_PATH=$LMSDS_KAFKA_LIBRARY_PATH swift test --filter KafkaTests
///     kill $LMSDS_TANSU_PID
///
/// `LMSDS_TEST_KAFKA_ASSIGNMENT` overrides `partition.assignment.strategy` (default: ours).
@Suite(
  .serialized, .timeLimit(.minutes(3)),
  .enabled(
    if: ProcessInfo.processInfo.environment["LMSDS_TEST_KAFKA_BROKERS"] != nil,
    "needs LMSDS_TEST_KAFKA_BROKERS"))
struct TansuTests {
  let servers = ProcessInfo.processInfo.environment["LMSDS_TEST_KAFKA_BROKERS"] ?? ""

  var consumerExtras: [String: String] {
    ProcessInfo.processInfo.environment["LMSDS_TEST_KAFKA_ASSIGNMENT"].map {
      ["partition.assignment.strategy": $0]
    } ?? [:]
  }

  @Test func createTopicAndKeyedRoundTrip() async throws {
    let admin = try KafkaAdmin(configuration: TestSupport.configuration(servers))
    let topic = TestSupport.uniqueTopic("tansu-keyed")
    #expect(try admin.partitionCount(of: topic) == nil)
    #expect(try admin.createTopic(topic, partitions: 4))
    #expect(try admin.createTopic(topic, partitions: 4) == false)
    #expect(try admin.partitionCount(of: topic) == 4)

    let producer = try KafkaProducer(configuration: TestSupport.configuration(servers))
    let keys = ["canvas", "schoology", "d2l", "moodle", "blackboard"]
    var partitionOfKey: [String: PartitionID] = [:]
    for round in 0..<4 {
      for key in keys {
        let (partition, _) = try await producer.send(
          topic: topic, key: key, value: Array("\(key)-\(round)".utf8),
          headers: [("round", [UInt8(round)])])
        if let earlier = partitionOfKey[key] { #expect(earlier == partition) }
        partitionOfKey[key] = partition
        #expect(partition == Murmur2Partitioner.partition(forKey: key, partitionCount: 4))
      }
    }
    producer.close()

    let consumer = try KafkaConsumer(
      configuration: TestSupport.consumerConfiguration(servers, extra: consumerExtras),
      groupID: TestSupport.uniqueGroup("tansu-keyed"))
    try consumer.subscribe(topics: [topic])
    let messages = try TestSupport.poll(consumer, count: 20, timeout: .seconds(60))
    #expect(messages.count == 20)
    for key in keys {
      let mine = messages.filter { $0.keyString == key }
      #expect(Set(mine.map(\.partition)) == [partitionOfKey[key]!])
      #expect(
        mine.map { String(decoding: $0.value, as: UTF8.self) } == (0..<4).map { "\(key)-\($0)" })
      #expect(mine.map { $0.header("round") } == (0..<4).map { [UInt8($0)] })
    }
    if let last = messages.last { try consumer.commit(message: last) }
    try consumer.close()
  }

  @Test func twoMemberGroupSplitsAndTakesOver() async throws {
    let admin = try KafkaAdmin(configuration: TestSupport.configuration(servers))
    let topic = TestSupport.uniqueTopic("tansu-group")
    try admin.createTopic(topic, partitions: 4)
    let group = TestSupport.uniqueGroup("tansu-group")
    let configuration = TestSupport.consumerConfiguration(servers, extra: consumerExtras)
    let eventsA = EventLog()
    let a = try KafkaConsumer(
      configuration: configuration, groupID: group, onRebalance: eventsA.record)
    try a.subscribe(topics: [topic])
    #expect(try TestSupport.pollUntil([a], timeout: .seconds(60)) { try a.assignment().count == 4 })

    let b = try KafkaConsumer(configuration: configuration, groupID: group)
    try b.subscribe(topics: [topic])
    let split = try TestSupport.pollUntil([a, b], timeout: .seconds(60)) {
      try a.assignment().count == 2 && b.assignment().count == 2
    }
    let (ofA, ofB) = (try a.assignment(), try b.assignment())
    #expect(split, "A: \(ofA), B: \(ofB), A events: \(eventsA.all)")
    #expect(Set(try a.assignment()).isDisjoint(with: try b.assignment()))

    // Each member receives what is produced to its partitions.
    let producer = try KafkaProducer(configuration: TestSupport.configuration(servers))
    for index in 0..<8 {
      _ = try await producer.send(topic: topic, key: "p\(index)", value: [UInt8(index)])
    }
    producer.close()
    var received: [KafkaMessage] = []
    let end = ContinuousClock.now + .seconds(30)
    while received.count < 8, ContinuousClock.now < end {
      for consumer in [a, b] {
        if let message = try consumer.poll(timeout: .milliseconds(50)) { received.append(message) }
      }
    }
    #expect(received.count == 8)

    try b.close()
    #expect(try TestSupport.pollUntil([a], timeout: .seconds(60)) { try a.assignment().count == 4 })
    print("Tansu group: protocol \(a.rebalanceProtocol), events of A: \(eventsA.all)")
    try a.close()
  }

  @Test func commitLagOffsetsForTimesAndReader() async throws {
    let admin = try KafkaAdmin(configuration: TestSupport.configuration(servers))
    let topic = TestSupport.uniqueTopic("tansu-replay")
    try admin.createTopic(topic, partitions: 2)
    let producer = try KafkaProducer(configuration: TestSupport.configuration(servers))
    var timestamps: [Int64] = []
    var offsets: [Offset] = []
    var partition: PartitionID = 0
    for index in 0..<4 {
      timestamps.append(Int64(Date().timeIntervalSince1970 * 1000))
      let report = try await producer.send(topic: topic, key: "canvas", value: [UInt8(index)])
      partition = report.partition
      offsets.append(report.offset)
      try await Task.sleep(for: .milliseconds(30))
    }
    producer.close()
    let tp = TopicPartition(topic, partition)

    let found = try admin.offsetsForTimes(topic: topic, timestampMs: timestamps[2])
    #expect(found[partition] == offsets[2], "offsetsForTimes: \(found), offsets \(offsets)")
    let future = try admin.offsetsForTimes(topic: topic, timestampMs: timestamps[3] + 60_000)
    let past = try admin.offsetsForTimes(topic: topic, timestampMs: timestamps[0] - 60_000)
    // Tansu 0.6 quirk: a timestamp after the partition's last message yields offset 0 instead of
    // -1 (end). Replay must therefore also filter by each message's timestamp.
    withKnownIssue("Tansu answers 0 instead of -1 (end) for a timestamp after the last message") {
      #expect(future[partition] == .end, "future: \(future), past: \(past), offsets: \(offsets)")
    }
    #expect(past[partition] == offsets[0], "future: \(future), past: \(past), offsets: \(offsets)")
    #expect(try admin.endOffsets(of: topic)[partition] == offsets[3].next)

    let group = TestSupport.uniqueGroup("tansu-replay")
    let consumer = try KafkaConsumer(
      configuration: TestSupport.consumerConfiguration(servers, extra: consumerExtras),
      groupID: group)
    try consumer.subscribe(topics: [topic])
    let read = try TestSupport.poll(consumer, count: 2, timeout: .seconds(60))
    try #require(read.count == 2)
    try consumer.commit(message: read[1])
    try consumer.close()
    #expect(try admin.committedOffsets(group: group, topic: topic)[partition] == offsets[1].next)
    #expect(try admin.lag(group: group, topic: topic)[partition] == 2)

    let reader = try KafkaPartitionReader(
      configuration: TestSupport.configuration(servers), topicPartition: tp, from: offsets[2])
    #expect(try reader.readToEnd().map(\.value) == [[2], [3]])
  }
}
