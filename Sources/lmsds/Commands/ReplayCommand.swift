import ArgumentParser
import ExtractorTree
import Foundation
import Kafka
import Logging
import Messages
import Producer
import Store
import TaskBridge

struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Publishes a provider's files again, marked as replay, while the fleet runs.",
    discussion: """
      Reads the provider's messages back from its partition (from the offset found for --from), \
      leaves the other providers of that partition alone, and publishes each file once more in load \
      order through the provider's newest file. Without --force, files already loaded stay no-ops; \
      with --force they are re-applied and the newest snapshot decides again. Files the topic no \
      longer holds are taken from the ledger and re-read under --csvpath / --sources.
      """)

  @Option(help: "The provider whose files to replay.")
  var provider: String
  @OptionGroup var kafka: KafkaOptions
  @Option(
    help:
      "Replay files published at or after this time: ISO 8601, or 'YYYY-MM-DD[ HH:MM[:SS]]' in UTC (default: all the topic holds)."
  )
  var from: String?
  @Flag(help: "Re-apply files even where the ledger already holds them.")
  var force = false
  @Option(
    name: [.customShort("c"), .customLong("csvpath")],
    help: "The provider's root, to re-read files the topic no longer holds.")
  var csvPath: String?
  @Option(help: "A directory holding the provider's root as <DIR>/<provider>.")
  var sources: String?
  @OptionGroup var archive: ArchiveOptions
  @OptionGroup var database: DatabaseOptions
  @OptionGroup var logging: LoggingOptions

  func validate() throws {
    if csvPath != nil && sources != nil {
      throw ValidationError("give --csvpath or --sources, not both")
    }
    if let from, ReplayStart.parse(from) == nil {
      throw ValidationError(
        "--from \(from) is not a time: use ISO 8601 or 'YYYY-MM-DD[ HH:MM:SS]' (UTC)")
    }
    if provider.isEmpty || provider.contains("/") {
      throw ValidationError("--provider must be a provider name")
    }
    try kafka.validate()
  }

  func run() throws {
    let context = try CommandContext(
      command: Self.configuration.commandName ?? "", database: database, logging: logging,
      csvPath: csvPath, defaultDatabase: nil)
    let logger = context.logger
    let providerName = ProviderName(provider)
    let start = from.flatMap(ReplayStart.parse)
    let root: SourceRoot?
    do {
      if let sources {
        root = try SourceRoot.sources(in: sources).first { $0.provider == providerName }
        if root == nil {
          logger.warning(
            "no root for the provider under --sources", metadata: ["sources": "\(sources)"])
        }
      } else if let path = context.settings.csvPath {
        root = try SourceRoot.csvPath(path, provider: provider)
      } else {
        root = nil
      }
    } catch {
      throw CommandFailure(status: .usage, message: "\(error)")
    }
    let configuration = try kafka.configuration()
    let topic = kafka.topicName
    let connection = try context.openMigratedDatabase()

    let partition: ProviderPartition
    do {
      partition = try ProviderPartition.read(
        configuration: configuration, topic: topic, provider: providerName, from: start)
    } catch {
      throw CommandFailure(
        status: .failure,
        message: "cannot read \(topic) from \(kafka.resolvedBrokers ?? ""): \(error)")
    }
    logger.info(
      "read back",
      metadata: [
        "partition": "\(partition.topicPartition)", "from_offset": "\(partition.start)",
        "to_offset": "\(partition.end)", "messages": "\(partition.messages.count)",
      ])

    let publisher: KafkaFilePublisher
    do {
      publisher = try KafkaFilePublisher(configuration: configuration, topic: topic)
    } catch {
      throw CommandFailure(status: .failure, message: "cannot create a Kafka producer: \(error)")
    }
    defer { publisher.close() }
    let replay = ReplayRun(
      connection: connection, publisher: publisher, logger: logger, force: force, root: root,
      publishedBy:
        ProcessName.current(role: "replay"), archive: archive.archive)
    let result: ReplayRun.Result
    do {
      result = try BlockingResult.waiting {
        try await replay.run(provider: providerName, from: start, partition: partition)
      }.get()
    } catch {
      throw CommandFailure(status: .failure, message: "\(error)")
    }
    print(Self.render(result, provider: providerName, partition: partition, force: force))
    if result.exitCode != 0 { throw ExitCode(result.exitCode) }
  }

  static func render(
    _ result: ReplayRun.Result, provider: ProviderName, partition: ProviderPartition, force: Bool
  )
    -> String
  {
    let plan = result.plan
    var lines: [String] = []
    for file in result.published {
      let origin: String
      switch file.source {
      case .topic(let offset): origin = "offset \(offset)"
      case .ledger: origin = "from the ledger"
      }
      lines.append("replayed \(file.relativePath) \(file.sha256.hex.prefix(12)) (\(origin))")
    }
    lines.append(
      "Replay of \(provider)\(force ? " (forced)" : "") from \(partition.topicPartition) offsets \(partition.start)..<\(partition.end)"
    )
    lines.append("  republished                \(result.published.count)")
    if plan.fromLedger > 0 { lines.append("    of which from the ledger \(plan.fromLedger)") }
    lines.append("  other providers left alone \(plan.otherProviders)")
    lines.append("  published before --from    \(plan.beforeStart)")
    lines.append("  repeated in the topic      \(plan.duplicates)")
    for text in plan.unreadable { lines.append("unreadable message: \(text)") }
    for path in result.notOnDisk { lines.append("not replayed (gone or changed on disk): \(path)") }
    if plan.files.isEmpty {
      lines.append("nothing to replay: no file of \(provider) since the start time")
    }
    if let failure = result.failure { lines.append("stopped: \(failure)") }
    return lines.joined(separator: "\n")
  }
}
