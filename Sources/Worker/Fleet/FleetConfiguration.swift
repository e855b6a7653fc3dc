import Archive
import Kafka
import Messages

/// How one `lmsds work` process consumes and applies.
public struct FleetConfiguration: Sendable {
  /// Every sub-directory is one provider's root: a message of provider P is read under `<dir>/P`.
  public var sourcesDirectory: String
  /// `--archive`: a message's bytes are read there when it holds them, else copied there from
  /// the root before they are applied.
  public var archive: FileArchive?
  public var topic: TopicName
  public var groupID: String
  /// Client options for the consumer and the dead-letter producer (`--kafka-option`).
  public var kafka: KafkaConfiguration
  /// Exit after this long without messages (`--exit-when-idle`); `nil`: run until stopped.
  public var exitWhenIdle: Duration?
  /// Under `exitWhenIdle`, how long a member may hold no partition while the group has messages
  /// to apply before it gives up with status 1 (it rejoins the group meanwhile; see `DrainWatch`).
  public var strandedLimit: Duration = .seconds(120)
  /// Messages applied in one database transaction at most. The set-based merge pays per wave,
  /// not per file: 200 made 25 transactions of the fleet bench's 5,000 files and a worker 1.9×
  /// `load`'s time; 1,000 made it 1.2×, at 56 MB peak RSS (bench/fleet.sh, README). 2,000 (what
  /// `load` puts in one) would save ~0.2 s more there, but peaked at 64–66 MB.
  public var maxMessagesPerTransaction = 1000
  /// No more messages join a transaction once it is this old (one commit covers them all).
  public var maxTransactionTime: Duration = .seconds(1)
  /// Above this many messages read but not yet applied, the assigned partitions are paused.
  /// Twice a transaction's worth: a batch that took every buffered message left the next one to
  /// wait for the fetch that resuming starts (a pause drops what the client had fetched), and
  /// the worker alternated 1,000-message and 1-message transactions ~0.1 s apart.
  public var maxBufferedMessages = 2000
  /// How often a parked partition's message is looked at again (`--park-retry-seconds`): a
  /// root mounted meanwhile resumes the partition within this long.
  public var parkRetryInterval: Duration = .seconds(30)
  /// Total looks at a missing or changed file before it is rejected, and the wait between them.
  public var verificationAttempts = 3
  public var verificationDelay: Duration = .seconds(2)
  public var databaseBackoff = FleetConfiguration.defaultDatabaseBackoff
  /// How a worker waits for an unreachable database, in mid-run and (`lmsds work`) at start.
  public static let defaultDatabaseBackoff = Backoff(initial: .milliseconds(200), cap: .seconds(10))
  public var brokerBackoff = Backoff(initial: .milliseconds(200), cap: .seconds(10))
  /// After a stop request (SIGTERM), how long the file in flight may take to finish; past it the
  /// open transaction is rolled back (the next owner applies the file), and a file that cannot
  /// be interrupted even then ends the process `abandonGrace` later.
  public var shutdownTimeout: Duration = .seconds(25)
  public var abandonGrace: Duration = .seconds(5)
  /// Where counters and timings go (a no-op backend unless the process bootstrapped one).
  public var metrics = FleetMetrics()
  /// A rejection whose dead letter is still unacknowledged this long after its last claim (its
  /// sender stopped, crashed or lost the broker) is sent by a worker's sweep
  /// (`DeadLetterSweep`); never less than twice the producer's `message.timeout.ms`, so a claim
  /// outlives any one try at the broker.
  public var deadLetterSweepAfter: Duration = .seconds(300)
  /// How often each worker looks for such rejections (and once at start).
  public var deadLetterSweepInterval: Duration = .seconds(60)
  /// Test hook: an extra pause inside the transaction for each file, so a test can kill a worker
  /// while it holds an open transaction.
  public var delayPerFile: Duration = .zero

  public init(
    sourcesDirectory: String, topic: TopicName = "lms.files", groupID: String = "lmsds",
    kafka: KafkaConfiguration, exitWhenIdle: Duration? = nil
  ) {
    self.sourcesDirectory = sourcesDirectory
    self.topic = topic
    self.groupID = groupID
    self.kafka = kafka
    self.exitWhenIdle = exitWhenIdle
  }

  /// Where refused messages go.
  public var deadLetterTopic: TopicName { TopicName(Topics.deadLetter(of: topic.rawValue)) }

  /// The dead-letter producer's options: the client options, and a delivery timeout of 30 s
  /// unless given (a dead letter that cannot be delivered is retried by us, the worker polling on).
  public var deadLetterProducer: KafkaConfiguration {
    var producer = kafka
    if producer["message.timeout.ms"] == nil { producer["message.timeout.ms"] = "30000" }
    return producer
  }

  /// `deadLetterSweepAfter`, raised to twice the producer's delivery timeout when that is longer.
  public var deadLetterClaimLifetime: Duration {
    let timeout = deadLetterProducer["message.timeout.ms"].flatMap(Int64.init) ?? 30_000
    return max(deadLetterSweepAfter, .milliseconds(timeout) * 2)
  }

  public var retryPolicy: RetryPolicy {
    RetryPolicy(
      database: databaseBackoff, broker: brokerBackoff, verificationAttempts: verificationAttempts,
      verificationDelay: verificationDelay)
  }
}
