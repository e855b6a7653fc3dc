import ArgumentParser
import ExtractorTree
import Foundation
import Logging
import Messages
import Settings
import Store
import UDM
import Worker

struct LoadCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "load",
    abstract: "Scans extractor output and applies new files in one process (the embedded default).")

  @Option(
    name: [.customShort("c"), .customLong("csvpath")],
    help: "One provider's extractor root (also CSV_PATH).")
  var csvPath: String?
  @Option(help: "The provider name for --csvpath (default: the directory's base name).")
  var provider: String?
  @Option(help: "A directory whose every sub-directory is one provider's root.")
  var sources: String?
  @Option(
    name: .customLong("summary-format"),
    help: "text (a table), or json (one object, numbers as numbers) on standard output.")
  var summaryFormat: SummaryFormat = .text
  @OptionGroup var database: DatabaseOptions
  @OptionGroup var loading: LoadingOptions
  @OptionGroup var archive: ArchiveOptions
  @OptionGroup var logging: LoggingOptions

  func validate() throws {
    if csvPath != nil && sources != nil {
      throw ValidationError("give --csvpath or --sources, not both")
    }
    if provider != nil && sources != nil {
      throw ValidationError("--provider goes with --csvpath")
    }
  }

  func run() throws {
    let context = try CommandContext(
      command: Self.configuration.commandName ?? "", database: database, logging: logging,
      csvPath: csvPath,
      defaultDatabase: SettingsResolver.loadDefaultDatabase)
    let logger = context.logger
    let started = ContinuousClock.now
    let roots = try context.sourceRoots(sources: sources, provider: provider)
    let walks = try RootProblems.walk(roots)
    let surveys = walks.map { RootSurvey.survey($0) }
    let rootProblems = RootProblems.find(in: surveys, sources: sources)
    for problem in rootProblems { logger.warning("\(problem)") }

    let archive = try self.archive.prepared()
    let connection = try context.openMigratedDatabase(rescannable: true)
    if let size = loading.bulkArraySize, let odbc = connection as? ODBCConnection {
      odbc.bulkArraySize = size
    }
    let load = EmbeddedLoad(
      connection: connection, logger: logger, options: loading.applyOptions(),
      settleSeconds: loading.settleSeconds, filesPerTransaction: loading.filesPerTransaction,
      archive: archive)
    // Without a total the line still shows files, rows and rates.
    let expected = try? ExpectedFiles.count(surveys, ledger: Ledger(connection: connection))
    var progress = ProgressLine(total: expected, logger: logger)
    let interrupt = InterruptNotice()
    var summary: LoadSummary
    do {
      summary = try load.run(walks) { result in
        progress.advance(rows: result.counts.rowsRead)
        interrupt.committed(files: progress.figures.files, rows: progress.figures.rows)
      }
      progress.finish()
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure(status: .failure, message: "\(error)")
    }
    summary.database = context.settings.database.redactedDescription
    summary.elapsedSeconds = seconds(ContinuousClock.now - started)
    summary.rootProblems = rootProblems
    print(summaryFormat == .json ? summary.renderJSON() : summary.render())
    if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
  }
}

private func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Options shared by the commands that apply files.
struct LoadingOptions: ParsableArguments {
  @Option(
    name: .customLong("settle-seconds"),
    help: "Leave files modified less than this many seconds ago for the next scan.")
  var settleSeconds: Double = 30
  @Flag(
    name: .customLong("allow-mass-delete"),
    help: "Apply users and sections files that would soft-delete more than half of their scope.")
  var allowMassDelete = false
  @Flag(name: .customLong("retry-rejected"), help: "Offer files that were rejected before again.")
  var retryRejected = false
  @Option(
    name: .customLong("bulk-array-size"),
    help: ArgumentHelp("ODBC: rows per parameter-array insert when staging.", visibility: .hidden))
  var bulkArraySize: Int?
  @Option(
    name: .customLong("files-per-transaction"),
    help: ArgumentHelp("How many files may share one commit.", visibility: .hidden))
  var filesPerTransaction: Int?

  @Flag(
    name: .customLong("file-by-file"),
    help: ArgumentHelp(
      "Apply each file on its own instead of merging waves of files at once (for comparison).",
      visibility: .hidden))
  var fileByFile = false
  func applyOptions() -> ApplyOptions {
    ApplyOptions(
      allowMassDelete: allowMassDelete, retryRejected: retryRejected,
      appliedBy: ProcessName.current(), setBased: fileByFile ? false : nil)
  }
}
