import Archive
import ArgumentParser
import Foundation
import Messages
import Store

/// `lmsds archive`: maintenance of the `--archive` directory.
struct ArchiveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "archive",
    abstract: "Maintains the archive that --archive fills.",
    subcommands: [ArchivePruneCommand.self])
}

struct ArchivePruneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prune",
    abstract:
      "Removes archived files stored more than --older-than days (and at least an hour) ago, except the newest applied file of every scope and files published but not applied yet.",
    discussion: """
      Reads the ledger to know which files those are, so give the database the fleet writes to. \
      Exit status: 0 done; 1 the ledger or the archive could not be read; 2 usage error.
      """)

  @OptionGroup var archive: ArchiveOptions
  @Option(
    name: .customLong("older-than"),
    help: ArgumentHelp(
      "Age in days (fractions allowed) past which a file may go.", valueName: "DAYS"))
  var olderThan: Double
  @Flag(name: .customLong("dry-run"), help: "Say what would be removed; remove nothing.")
  var dryRun = false
  @OptionGroup var database: DatabaseOptions
  @OptionGroup var logging: LoggingOptions

  func validate() throws {
    guard archive.archive != nil else {
      throw ValidationError("give --archive DIR (or set \(ArchiveOptions.variable))")
    }
    guard olderThan >= 0, olderThan.isFinite else {
      throw ValidationError("--older-than takes a number of days, 0 or more")
    }
  }

  func run() throws {
    let context = try CommandContext(
      command: "archive prune", database: database, logging: logging, defaultDatabase: nil)
    let store = archive.archive!
    let facts: [ArchiveLedgerFact]
    let archived: [ArchivedFile]
    do {
      // Listed before the ledger is read: a file stored meanwhile is not listed, and a file
      // listed has whatever ledger rows its publisher or loader committed by then.
      archived = try store.list()
      let connection = try context.connect()
      facts = try Ledger(connection: connection).entries().map(Self.fact)
    } catch {
      throw CommandFailure(status: .failure, message: "\(error)")
    }
    // Never younger than an hour: a run may have stored a file and not yet committed the
    // `published` or ledger row that would protect it, and a temporary copy may be mid-write.
    let cutoff = Date().addingTimeInterval(-max(olderThan * 86_400, Self.grace))
    let selection = ArchivePrune.select(archived: archived, facts: facts, storedBefore: cutoff)
    var removed = (
      count: selection.remove.count, bytes: selection.remove.reduce(Int64(0)) { $0 + $1.size }
    )
    if !dryRun {
      do {
        removed = try store.remove(selection.remove, storedBefore: cutoff)
      } catch {
        throw CommandFailure(status: .failure, message: "\(error)")
      }
    }
    for file in selection.remove {
      context.logger.debug("prune candidate", metadata: ["path": "\(file.path)"])
    }
    print(
      "\(dryRun ? "would remove" : "removed") \(removed.count) files (\(removed.bytes) bytes) "
        + "of \(archived.count); kept past the age: \(selection.keptNewest) newest applied snapshots, "
        + "\(selection.keptUnapplied) published and not yet applied")
  }

  static let grace: TimeInterval = 3600

  static func fact(_ entry: LedgerEntry) -> ArchiveLedgerFact {
    let outcome: ArchiveLedgerFact.Outcome
    switch entry.outcome {
    case .published: outcome = .published
    case .loaded: outcome = .loaded
    case .rejected, .superseded, .duplicate: outcome = .other
    }
    return ArchiveLedgerFact(
      provider: entry.provider, relativePath: entry.relativePath, sha256: entry.sha256,
      resource: entry.resource.rawValue, scopeKey: entry.scopeKey,
      nameTimestamp: entry.nameTimestamp, outcome: outcome)
  }
}
