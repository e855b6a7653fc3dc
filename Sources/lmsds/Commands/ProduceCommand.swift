import ArgumentParser
import ExtractorTree
import Foundation
import Kafka
import Logging
import Messages
import Producer
import Store
import TaskBridge

struct ProduceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "produce",
    abstract:
      "Scans extractor output and publishes one Kafka message per new file, for `lmsds work`.",
    discussion: """
      Files the ledger already holds (any outcome, `published` included) are not sent again, so a \
      second run publishes nothing twice, except files recorded `published` whose message the \
      topic no longer holds (the broker lost it, the topic was created again, retention removed \
      it before a worker read it): those are published again and counted in the summary. Files \
      published more than --unapplied-after seconds ago that still have no outcome are counted \
      and logged as a warning. Exit status: 0 done, 3 done but a root held no LMS-UDM \
      file, 1 could not run or stopped at a broker error (what was published before it is \
      recorded), 2 usage error.
      """)

  @Option(
    name: [.customShort("c"), .customLong("csvpath")],
    help: "One provider's extractor root (also CSV_PATH).")
  var csvPath: String?
  @Option(help: "The provider name for --csvpath (default: the directory's base name).")
  var provider: String?
  @Option(help: "A directory whose every sub-directory is one provider's root.")
  var sources: String?
  @OptionGroup var kafka: KafkaOptions
  @Option(help: "Partitions of the topic when this run creates it.")
  var partitions = 12
  @Flag(
    name: .customLong("republish-unapplied"),
    help:
      "Also publish again files recorded as published more than --unapplied-after seconds ago that no worker has given an outcome since, even where the topic seems to hold them (e.g. a wrong cluster)."
  )
  var republishUnapplied = false
  @Option(
    name: .customLong("unapplied-after"),
    help:
      "Seconds after which a published file without an outcome counts as unapplied: such files are counted and logged as a warning, and with --republish-unapplied published again."
  )
  var unappliedAfter: Double = 3600
  @Option(
    name: .customLong("settle-seconds"),
    help: "Leave files modified less than this many seconds ago for the next run.")
  var settleSeconds: Double = 30
  @Flag(name: .customLong("retry-rejected"), help: "Publish files that were rejected before again.")
  var retryRejected = false
  @Option(
    name: .customLong("summary-format"),
    help: "text (a table), or json (one object, numbers as numbers) on standard output.")
  var summaryFormat: SummaryFormat = .text
  @OptionGroup var archive: ArchiveOptions
  @OptionGroup var database: DatabaseOptions
  @OptionGroup var logging: LoggingOptions

  func validate() throws {
    if csvPath != nil && sources != nil {
      throw ValidationError("give --csvpath or --sources, not both")
    }
    if provider != nil && sources != nil { throw ValidationError("--provider goes with --csvpath") }
    if partitions < 1 { throw ValidationError("--partitions must be at least 1") }
    if unappliedAfter < 0 { throw ValidationError("--unapplied-after must not be negative") }
    try kafka.validate()
  }

  func run() throws {
    let context = try CommandContext(
      command: Self.configuration.commandName ?? "", database: database, logging: logging,
      csvPath: csvPath, defaultDatabase: nil)
    let logger = context.logger
    let roots = try context.sourceRoots(sources: sources, provider: provider)
    let walks = try RootProblems.walk(roots)
    let rootProblems = RootProblems.find(in: walks.map { RootSurvey.survey($0) }, sources: sources)
    for problem in rootProblems { logger.warning("\(problem)") }
    let configuration = try kafka.configuration()
    let topic = kafka.topicName
    let archive = try self.archive.prepared()
    let connection = try context.openMigratedDatabase(rescannable: true)

    let setup = TopicSetup(topic: topic, partitions: partitions)
    let report: TopicSetup.Report
    let admin: KafkaAdmin
    do {
      admin = try KafkaAdmin(configuration: configuration)
      report = try setup.ensure(admin: admin)
    } catch {
      throw CommandFailure(
        status: .failure,
        message: "cannot set up topic \(topic) on \(kafka.brokers ?? ""): \(error)")
    }
    // Warnings reach the operator through the closing summary.
    for created in report.created {
      logger.notice("created topic", metadata: ["topic": "\(created)"])
    }

    let publisher: KafkaFilePublisher
    do {
      publisher = try KafkaFilePublisher(configuration: configuration, topic: topic)
    } catch {
      throw CommandFailure(status: .failure, message: "cannot create a Kafka producer: \(error)")
    }
    defer { publisher.close() }
    defer { admin.close() }
    let options = ProduceOptions(
      settleSeconds: settleSeconds, retryRejected: retryRejected,
      republishUnapplied: republishUnapplied,
      unappliedAfter: unappliedAfter,
      publishedBy:
        ProcessName.current(role: "produce"))
    let probe = TopicProbe(topic: topic) { try admin.watermarks(of: topic) }
    let produce = ProduceRun(
      connection: connection, publisher: publisher, logger: logger, options: options,
      topicProbe: probe, archive: archive)
    var summary: ProduceSummary
    do {
      // The main thread only waits; the publishing runs as a task on the cooperative pool.
      summary = try BlockingResult.waiting { try await produce.run(walks) }.get()
    } catch {
      throw CommandFailure(status: .failure, message: "\(error)")
    }
    summary.topicsCreated = report.created.map(\.rawValue)
    summary.warnings = report.warnings + summary.warnings
    summary.rootProblems = rootProblems
    print(summaryFormat == .json ? summary.renderJSON() : summary.render())
    if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
  }
}
