import CRdKafka

/// librdkafka's in-process mock cluster, for tests. It listens on loopback, so any client (in
/// this process) given `bootstrapServers` talks to it as to real brokers while it lives.
///
/// `@unchecked Sendable`: the mock cluster and its host handle are thread-safe librdkafka objects
/// (the mock runs its own thread); their pointers never change.
public final class MockKafkaCluster: @unchecked Sendable {
  /// `host:port,…` of the mock brokers.
  public let bootstrapServers: String

  private let host: NativeClient
  private let cluster: OpaquePointer

  /// Starts a mock cluster of `brokers` brokers, hosted by a private producer handle.
  public init(brokers: Int = 1) throws {
    var configuration = KafkaConfiguration()
    configuration["log_level"] = "3"
    host = try NativeClient(.producer, configuration: configuration)
    guard let cluster = rd_kafka_mock_cluster_new(host.handle, Int32(clamping: brokers)) else {
      throw KafkaError.invalidArgument("rd_kafka_mock_cluster_new failed")
    }
    self.cluster = cluster
    bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
  }

  deinit {
    rd_kafka_mock_cluster_destroy(cluster)
    host.destroy()
  }

  /// A client configuration pointing at this cluster.
  public var configuration: KafkaConfiguration {
    KafkaConfiguration(bootstrapServers: bootstrapServers)
  }

  /// Creates a topic directly in the mock (no admin request).
  public func createTopic(_ topic: TopicName, partitions: Int, replicationFactor: Int = 1) throws {
    let err = rd_kafka_mock_topic_create(
      cluster, topic.rawValue, Int32(clamping: partitions), Int32(clamping: replicationFactor))
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError(err, context: "mock topic \(topic)")
    }
  }
}
