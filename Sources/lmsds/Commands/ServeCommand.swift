import ArgumentParser
import Foundation
import LedgerPages
import Logging
import StatusServer
import Store

/// `lmsds serve`: the ledger pages over HTTP (issue 5). It only reads: it never migrates the
/// database, and says so when the ledger tables are not there yet.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serves the ledger pages (what became of every file) over HTTP; read-only.")

  @OptionGroup var database: DatabaseOptions
  @OptionGroup var logging: LoggingOptions
  @OptionGroup var pages: LedgerPageOptions

  @Option(name: .customLong("http-port"), help: "The port to listen on; 0 picks a free one.")
  var httpPort = 8080

  @Option(
    name: .customLong("http-host"),
    help: "The address to listen on; 0.0.0.0 for every interface (the pages have no login).")
  var httpHost = "127.0.0.1"

  func validate() throws {
    guard (0...65_535).contains(httpPort) else {
      throw ValidationError("--http-port must be between 0 and 65535")
    }
  }

  func run() throws {
    let context = try CommandContext(
      command: Self.configuration.commandName ?? "", database: database, logging: logging,
      defaultDatabase: nil)
    let logger = context.logger
    let location = context.settings.database
    // Opening a SQLite path that does not exist would create an empty database there.
    if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
      throw CommandFailure(status: .failure, message: "no SQLite database at \(path)")
    }
    // Fail fast (status 1) when the database cannot be reached at start; later outages show as
    // a page that says so, and the next page connects again.
    let first = try context.connect()
    if !LedgerSite.hasLedger(first) {
      logger.warning(
        "\(LedgerSite.missingLedgerText)",
        metadata: ["database": "\(location.redactedDescription)"])
    }
    let site = LedgerSite(
      databaseDescription: location.redactedDescription, staleness: pages.staleness
    ) {
      try DatabaseConnector.open(location)
    }
    let server = StatusServer(host: httpHost, port: httpPort, logger: logger, site: site)
    logger.info(
      "serving the ledger pages", metadata: ["database": "\(location.redactedDescription)"])
    if case .failure(let error) = ServiceRunner.run([server], logger: logger) {
      throw CommandFailure(status: .failure, message: "\(error)")
    }
    logger.info("stopped")
  }
}
