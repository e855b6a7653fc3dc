import ArgumentParser
import Foundation
import Messages
import Store

struct LedgerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ledger", abstract: "Shows what became of every file.")

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
  }

  @OptionGroup var database: DatabaseOptions
  @OptionGroup var logging: LoggingOptions
  @Option(help: "Only this provider's files.") var provider: String?
  @Option(help: "table, or json (one object per line).") var format: Format = .table

  func run() throws {
    let context = try CommandContext(
      command: Self.configuration.commandName ?? "", database: database, logging: logging,
      defaultDatabase: nil)
    let connection = try context.openMigratedDatabase()
    let entries: [LedgerEntry]
    do {
      entries = try Ledger(connection: connection).entries(
        provider: provider.map { ProviderName($0) })
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
