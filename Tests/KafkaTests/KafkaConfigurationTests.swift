import Testing

@testable import Kafka

@Suite struct KafkaConfigurationTests {
  @Test func helpersAndPassThroughOptions() throws {
    let configuration = try KafkaConfiguration(
      bootstrapServers: "b1:9092,b2:9092",
      options: ["security.protocol=SASL_SSL", "ssl.ca.location = /etc/ca.pem"])
    #expect(configuration.bootstrapServers == "b1:9092,b2:9092")
    #expect(configuration["security.protocol"] == "SASL_SSL")
    #expect(configuration["ssl.ca.location"] == " /etc/ca.pem")
    #expect(throws: KafkaError.self) {
      try KafkaConfiguration(bootstrapServers: nil, options: ["novalue"])
    }
  }

  @Test func sensitiveValuesNeverAppearInDescriptions() throws {
    let configuration = try KafkaConfiguration(
      bootstrapServers: "127.0.0.1:1",
      options: [
        "sasl.username=alice", "sasl.password=hunter2-pw", "ssl.key.password=hunter3-pw",
        "sasl.oauthbearer.client.secret=hunter4-pw",
      ])
    let text = configuration.description
    #expect(text.contains("bootstrap.servers=127.0.0.1:1"))
    for secret in ["hunter2-pw", "hunter3-pw", "hunter4-pw", "alice"] {
      #expect(!text.contains(secret))
    }
    #expect(text.contains("sasl.password=[redacted]"))
  }

  @Test func sensitiveValuesNeverAppearInErrors() throws {
    // librdkafka quotes a rejected value in its error text: ours must hide it.
    var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
    configuration["sasl.mechanisms"] = "hunter2-pw"
    configuration["security.protocol"] = "hunter2-pw"
    do {
      _ = try KafkaProducer(configuration: configuration)
      Issue.record("expected an invalid configuration error")
    } catch let error as KafkaError {
      #expect(error.code == "_INVALID_ARG")
      #expect(!error.description.contains("hunter2-pw"))
      #expect(!String(describing: error).contains("hunter2-pw"))
      #expect(!error.message.isEmpty)
    }
    // A non-sensitive key's bad value is shown, which helps the operator.
    var plain = KafkaConfiguration(bootstrapServers: "127.0.0.1:1")
    plain["acks"] = "seventeen"
    let error = try #require(throws: KafkaError.self) { try KafkaProducer(configuration: plain) }
    #expect(error.message.contains("acks"))
  }

  /// The producer connects every broker up front (its ID comes a timer tick sooner) and is
  /// idempotent, unless the operator's configuration says otherwise.
  @Test func producerDefaultsYieldToTheOperator() throws {
    let plain = KafkaProducer.effectiveConfiguration(
      KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
    #expect(plain["enable.sparse.connections"] == "false")
    #expect(plain["enable.idempotence"] == "true")
    let chosen = KafkaProducer.effectiveConfiguration(
      try KafkaConfiguration(
        bootstrapServers: "127.0.0.1:1", options: ["enable.sparse.connections=true"]))
    #expect(chosen["enable.sparse.connections"] == "true")
    #expect(chosen["enable.idempotence"] == "true")
    // librdkafka knows every default: a producer is created with them.
    _ = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
  }

  @Test func murmur2MatchesKafkaReferenceValues() {
    // Reference values from Apache Kafka's Utils.murmur2 tests.
    let cases: [(String, Int32)] = [
      ("21", -973_932_308), ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
      ("a-little-bit-longer-string", -1_486_304_829),
      ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
      ("abc", 479_470_107),
    ]
    for (key, expected) in cases {
      #expect(Int32(bitPattern: Murmur2Partitioner.murmur2(Array(key.utf8))) == expected, "\(key)")
    }
  }

  @Test func identifiers() {
    #expect(TopicName("lms.files").isValid)
    #expect(!TopicName("bad topic").isValid)
    #expect(Offset(41).next == 42)
    #expect(!Offset.end.isConcrete)
    #expect(TopicPartition("t", 3).description == "t[3]")
  }
}
