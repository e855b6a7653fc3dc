import ArgumentParser
import Foundation
import Messages
import Store

struct LedgerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ledger", abstract: "Shows what became of each file, newest first.")

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
  }

  @OptionGroup var database: DatabaseOptions
  @OptionGroup var logging: LoggingOptions
  @Option(help: "Only this provider's files.") var provider: String?
  @Option(help: "Only files with this outcome: published, loaded, rejected, superseded, duplicate.")
  var outcome: String?
  @Option(
    help:
      "Only files recorded since this moment (ISO 8601 or 'YYYY-MM-DD[ HH:MM]', UTC) or this long ago (36h, 2d, 90m)."
  )
  var since: String?
  @Option(help: "At most this many files, newest first; 0 for all.")
  var limit = LedgerQuery.defaultLimit
  @Option(help: "table, or json (one object per line).") var format: Format = .table

  func validate() throws {
    if limit < 0 { throw ValidationError("--limit must not be negative") }
    if let outcome, FileOutcome(rawValue: outcome) == nil {
      throw ValidationError(
        "--outcome must be one of "
          + FileOutcome.allCases.map(\.rawValue).joined(separator: ", "))
    }
    if let since, LedgerSince.parse(since) == nil {
      throw ValidationError(
        "--since \(since) is neither a time (2024-05-01, 2024-05-01T02:00:00Z) nor a span (36h, 2d)"
      )
    }
  }

  func run() throws {
    let context = try CommandContext(
      command: Self.configuration.commandName ?? "", database: database, logging: logging,
      defaultDatabase: nil)
    let connection = try context.openMigratedDatabase()
    let entries: [LedgerEntry]
    do {
      let query = LedgerQuery(
        provider: provider, outcome: outcome.flatMap(FileOutcome.init(rawValue:)),
        since: since.flatMap { LedgerSince.parse($0) }.map(CanonicalTime.text),
        limit: limit == 0 ? nil : limit)
      entries = try Ledger(connection: connection).entries(matching: query)
    } catch {
      throw CommandFailure(status: .failure, message: "\(error)")
    }
    switch format {
    case .json:
      for entry in entries { print(LedgerJSON.line(for: entry)) }
    case .table:
      print(LedgerTable.render(entries))
    }
  }
}
