import ArgumentParser
import Foundation
import Kafka
import Logging
import Prometheus
import ServiceLifecycle
import Settings
import Store
import Worker

/// `lmsds work`: one member of the worker fleet (architecture.md, Worker).
struct WorkCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "work",
    abstract:
      "Joins the consumer group and applies the files its messages name, in order per provider.")

  @Option(
    help:
      "A directory whose every sub-directory is one provider's root (message provider P → DIR/P).")
  var sources: String

  @OptionGroup var kafka: KafkaOptions

  @Option(help: "The consumer group the workers share.")
  var group: String = "lmsds"

  @Option(
    name: .customLong("exit-when-idle"),
    help:
      "Exit once drained: every partition held is committed to its end and nothing arrived for this many seconds (status 1 if partitions stay parked, or if no partition can be had while the group has lag)."
  )
  var exitWhenIdle: Double?

  @Option(
    name: .customLong("http-port"),
    help: "Serve /livez, /readyz, /metrics and the ledger pages on this port (0: any free port).")
  var httpPort: Int?

  @Option(
    name: .customLong("http-host"),
    help: "The address the HTTP endpoint listens on; 0.0.0.0 in a container.")
  var httpHost = "127.0.0.1"

  @Option(
    name: .customLong("shutdown-timeout"),
    help:
      "Seconds a SIGTERM leaves the file in flight to finish before it is rolled back (the process ends at most 5 s later)."
  )
  var shutdownTimeout: Double = 25

  @Option(
    name: .customLong("database-wait"),
    help:
      "At start, how many seconds to keep retrying an unreachable database (growing pauses) before exiting 1."
  )
  var databaseWait: Double = 300

  @Option(
    name: .customLong("unapplied-after"),
    help:
      "Warn (log line and lmsds_unapplied_published_files) while files published more than this many seconds ago have no outcome."
  )
  var unappliedAfter: Double = 3600

  @Option(
    name: .customLong("park-retry"),
    help: ArgumentHelp(
      "Seconds between looks at the message a parked partition stopped at (a provider without a root, a newer message version); the partition resumes once it can be applied.",
      valueName: "seconds"))
  var parkRetry: Double = 30

  @Flag(
    name: .customLong("allow-mass-delete"),
    help: "Apply users and sections files that would soft-delete more than half of their scope.")
  var allowMassDelete = false

  @OptionGroup var archive: ArchiveOptions
  @OptionGroup var database: DatabaseOptions
  @OptionGroup var logging: LoggingOptions
  @OptionGroup var pages: LedgerPageOptions

  @Option(
    name: .customLong("verification-attempts"),
    help: ArgumentHelp(
      "Looks at a missing or changed file before it is rejected.", visibility: .hidden))
  var verificationAttempts = 3

  @Option(
    name: .customLong("verification-delay-ms"),
    help: ArgumentHelp("Wait between those looks.", visibility: .hidden))
  var verificationDelayMs = 2000

  @Option(
    name: .customLong("test-delay-per-file-ms"),
    help: ArgumentHelp(
      "Test hook: pause inside the transaction for each file.", visibility: .hidden))
  var testDelayPerFileMs = 0

  @Option(
    name: .customLong("abandon-grace-ms"),
    help: ArgumentHelp(
      "After the shutdown timeout, how long a rollback may take before the process ends.",
      visibility: .hidden))
  var abandonGraceMs = 5000

  func validate() throws {
    if let exitWhenIdle, exitWhenIdle <= 0 {
      throw ValidationError("--exit-when-idle must be positive")
    }
    if databaseWait < 0 { throw ValidationError("--database-wait must not be negative") }
    if unappliedAfter < 0 { throw ValidationError("--unapplied-after must not be negative") }
    if !(parkRetry > 0 && parkRetry <= 86_400) {
      throw ValidationError("--park-retry must be a positive number of seconds, at most 86400")
    }
    if shutdownTimeout < 0 { throw ValidationError("--shutdown-timeout must not be negative") }
    if let httpPort, !(0...65535).contains(httpPort) {
      throw ValidationError("--http-port must be between 0 and 65535")
    }
    if group.isEmpty { throw ValidationError("--group must not be empty") }
  }

  func run() throws {
    MallocArenas.limit(to: 2)
    let context = try CommandContext(
      command: Self.configuration.commandName ?? "", database: database, logging: logging,
      defaultDatabase: nil)
    let logger = context.logger
    let sourcesPath = URL(fileURLWithPath: sources).standardizedFileURL.path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: sourcesPath, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw CommandFailure(status: .usage, message: "--sources \(sources) is not a directory")
    }
    let kafkaConfiguration = try kafka.configuration(clientID: "lmsds-work")
    let topic = kafka.topic
    let archive = try self.archive.prepared()
    // Migrate once up front (the migration lock keeps concurrent workers from doing it twice),
    // waiting for a database that is not up yet for at most --database-wait seconds.
    let first = try StartupDatabase(
      context: context, wait: .milliseconds(Int64(databaseWait * 1000)),
      backoff: FleetConfiguration.defaultDatabaseBackoff
    ).open(logger: logger)
    try checkBroker(kafkaConfiguration, logger: logger)

    var configuration = FleetConfiguration(
      sourcesDirectory: sourcesPath, topic: TopicName(topic), groupID: group,
      kafka: kafkaConfiguration,
      exitWhenIdle: exitWhenIdle.map { .milliseconds(Int64($0 * 1000)) })
    configuration.archive = archive
    configuration.verificationAttempts = verificationAttempts
    configuration.verificationDelay = .milliseconds(verificationDelayMs)
    configuration.delayPerFile = .milliseconds(testDelayPerFileMs)
    configuration.shutdownTimeout = .milliseconds(Int64(shutdownTimeout * 1000))
    configuration.abandonGrace = .milliseconds(abandonGraceMs)
    configuration.parkRetryInterval = .milliseconds(Int64(parkRetry * 1000))
    let metrics = PrometheusCollectorRegistry()
    var factory = PrometheusMetricsFactory(registry: metrics)
    factory.durationHistogramBuckets[FleetMetrics.Name.applyDuration] =
      FleetMetrics.applyDurationBuckets
    configuration.metrics = FleetMetrics(factory: factory)
    let options = ApplyOptions(
      allowMassDelete: allowMassDelete,
      appliedBy: ProcessName.current())
    let location = context.settings.database
    let handOver = FirstConnection(first)
    let worker = FleetWorker(
      configuration: configuration, options: options, logger: logger,
      exitProcess: { _exit(1) },
      connect: {
        // The session opened (and migrated) at start first, then fresh ones after an outage.
        if let connection = handOver.take() { return connection }
        return try DatabaseConnector.open(location)
      })
    logger.info(
      "worker starting",
      metadata: [
        "sources": "\(sourcesPath)", "topic": "\(topic)", "group": "\(group)",
        "database": "\(location.redactedDescription)",
      ])
    worker.health.markDatabaseMigrated()
    var services: [any Service] = [
      UnappliedWatch(
        threshold: unappliedAfter, logger: logger, metrics: configuration.metrics,
        connect: { try DatabaseConnector.open(location) })
    ]
    if let httpPort {
      services.append(
        WorkerEndpoints(
          worker: worker, metrics: metrics, database: location, staleness: pages.staleness
        )
        .server(host: httpHost, port: httpPort, logger: logger))
    }
    switch FleetProcess.run(worker, alongside: services, logger: logger) {
    case .success(let exit):
      logger.info(
        "worker done",
        metadata: ["files": "\(exit.filesApplied)", "exit_status": "\(exit.exitCode)"])
      if case .stopped(let reason) = exit.reason {
        throw CommandFailure(status: .failure, message: "worker stopped: \(reason)")
      }
      if exit.exitCode != 0 { throw ExitCode(exit.exitCode) }
    case .failure(let error):
      throw CommandFailure(status: .failure, message: "\(error)")
    }
  }

  /// Status 1 when no broker answers at start (later outages are ridden out by the worker).
  private func checkBroker(_ kafkaConfiguration: KafkaConfiguration, logger: Logger) throws {
    let topic = kafka.topic
    do {
      let admin = try KafkaAdmin(configuration: kafkaConfiguration)
      defer { admin.close() }
      if try admin.partitionCount(of: TopicName(topic), timeout: .seconds(15)) == nil {
        logger.warning("topic does not exist yet; waiting for it", metadata: ["topic": "\(topic)"])
      }
    } catch {
      throw CommandFailure(
        status: .failure,
        message: "cannot reach the Kafka brokers \(kafka.resolvedBrokers ?? ""): \(error)")
    }
  }
}

/// Hands the connection opened at start to the worker's first session, once.
private final class FirstConnection: @unchecked Sendable {
  // `@unchecked Sendable`: `connection` is only touched under `lock`, and handed over once, to
  // the single thread that owns it afterwards.
  private let lock = NSLock()
  private var connection: (any SQLConnection)?
  init(_ connection: any SQLConnection) { self.connection = connection }
  func take() -> (any SQLConnection)? {
    lock.lock()
    defer { lock.unlock() }
    let taken = connection
    connection = nil
    return taken
  }
}
