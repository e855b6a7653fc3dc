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

  /// Kafka protocol requests a test can make fail (their API keys).
  public enum Request: Int16, Sendable {
    case produce = 0
    case offsetCommit = 8
  }

  /// Errors a test can make the mock answer with.
  public enum InjectedError: Sendable {
    /// Permanent for a producer: the message fails at once, nothing is retried.
    case topicAuthorizationFailed
    /// What a group member hears while the group coordinator moves.
    case notCoordinator

    var code: rd_kafka_resp_err_t {
      switch self {
      case .topicAuthorizationFailed: return RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED
      case .notCoordinator: return RD_KAFKA_RESP_ERR_NOT_COORDINATOR
      }
    }
  }

  /// The next `count` requests of this kind, from any client, fail with `error`.
  public func fail(next count: Int, _ request: Request, with error: InjectedError) {
    let errors = [rd_kafka_resp_err_t](repeating: error.code, count: count)
    errors.withUnsafeBufferPointer {
      rd_kafka_mock_push_request_errors_array(
        cluster, request.rawValue, $0.count, $0.baseAddress)
    }
  }

  /// Requests of this kind succeed again (errors still queued by `fail` are dropped).
  public func clearFailures(_ request: Request) {
    rd_kafka_mock_clear_request_errors(cluster, request.rawValue)
  }

  /// Makes broker `id` (1-based) the coordinator of consumer group `group`.
  public func setGroupCoordinator(_ group: String, broker id: Int) throws {
    let err = rd_kafka_mock_coordinator_set(cluster, "group", group, Int32(clamping: id))
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError(err, context: "mock coordinator of \(group)")
    }
  }

  /// Makes broker `id` the leader of one partition.
  public func setLeader(_ topicPartition: TopicPartition, broker id: Int) throws {
    let err = rd_kafka_mock_partition_set_leader(
      cluster, topicPartition.topic.rawValue, topicPartition.partition.rawValue,
      Int32(clamping: id))
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError(err, context: "mock leader of \(topicPartition)")
    }
  }

  /// Takes broker `id` down (connections dropped and refused) or brings it back.
  public func setBroker(_ id: Int, up: Bool) throws {
    let err =
      up
      ? rd_kafka_mock_broker_set_up(cluster, Int32(clamping: id))
      : rd_kafka_mock_broker_set_down(cluster, Int32(clamping: id))
    guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
      throw KafkaError(err, context: "mock broker \(id) \(up ? "up" : "down")")
    }
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
