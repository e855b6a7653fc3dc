import ArgumentParser
import ExtractorTree
import Foundation
import Kafka
import Logging
import Settings
import Store

/// What every command needs first: its settings resolved, a logger, a migrated database.
struct CommandContext {
  let settings: ResolvedSettings
  let logger: Logger

  /// `command` is the subcommand's name, for the first log line.
  init(
    command: String, database: DatabaseOptions, logging: LoggingOptions, csvPath: String? = nil,
    defaultDatabase: String?
  ) throws {
    let environment = ProcessInfo.processInfo.environment
    let dotEnv = try DotEnvFile.load(
      directory: FileManager.default.currentDirectoryPath, environment: environment)
    let flags = EdFiFlags(
      database: database.url, engine: database.engine, server: database.server,
      port: database.port, dbname: database.dbname, username: database.username,
      password: database.password, useIntegratedSecurity: database.useIntegratedSecurity,
      encrypt: database.encrypt, trustCertificate: database.trustCertificate, csvPath: csvPath,
      logLevel: logging.level)
    do {
      settings = try SettingsResolver.resolve(
        flags: flags, environment: environment, dotEnv: dotEnv.values,
        defaultDatabase: defaultDatabase)
    } catch {
      throw CommandFailure(status: .usage, message: "\(error)")
    }
    logger = logging.makeLogger(level: settings.logLevel)
    KafkaLogRoute.send(to: logger)
    if logging.format == .json { FailureOutput.useJSON(logger) }
    // First, so that a log read later says which database a run wrote to (password masked).
    logger.info(
      "lmsds \(LMSDSVersion.current) \(command): database \(settings.database.redactedDescription)",
      metadata: ["database_from": "\(settings.databaseSource)"])
    if let note = settings.defaultDatabaseNote() { logger.notice("\(note)") }
    if !dotEnv.skippedLines.isEmpty {
      logger.warning(
        "ignored unreadable .env lines",
        metadata: ["lines": "\(dotEnv.skippedLines.map(String.init).joined(separator: ","))"])
    }
    logger.debug("\(settings.description)")
  }

  /// The roots named by `--sources DIR`, or by `--csvpath DIR [--provider NAME]` (also CSV_PATH).
  func sourceRoots(sources: String?, provider: String?) throws -> [SourceRoot] {
    do {
      if let sources { return try SourceRoot.sources(in: sources) }
      if let path = settings.csvPath { return [try SourceRoot.csvPath(path, provider: provider)] }
    } catch {
      throw CommandFailure(status: .usage, message: "\(error)")
    }
    throw CommandFailure(
      status: .usage, message: "give --csvpath DIR or --sources DIR (or set CSV_PATH)")
  }

  /// Connects and brings the schema up to date, as every load does first.
  /// With `rescannable`, the session's commits return before their WAL reaches disk
  /// (PostgreSQL): for commands whose every commit the next scan repeats if a crash loses it
  /// (`load` finds the file again; `produce` publishes it again, and the worker records the second
  /// message as a duplicate). A flush per file was half of `produce`'s time.
  func openMigratedDatabase(rescannable: Bool = false) throws -> any SQLConnection {
    let connection = try connect()
    if rescannable, connection.dialect == .postgresql {
      try connection.execute("SET synchronous_commit = off")
    }
    do {
      let report = try MigrationRunner(dialect: connection.dialect).migrate(connection)
      if !report.applied.isEmpty {
        logger.info(
          "database migrated",
          metadata: [
            "applied": "\(report.applied.joined(separator: ","))",
            "adopted": "\(report.adopted.map(\.script).joined(separator: ","))",
          ])
      }
    } catch {
      throw CommandFailure(status: .failure, message: Self.migrationFailure(error))
    }
    return connection
  }

  /// A newer schema is a refusal, not a failure of this run's scripts: say which binary refused.
  static func migrationFailure(_ error: any Error) -> String {
    if case MigrationError.newerSchema = error {
      return "lmsds \(LMSDSVersion.current) refuses this database: \(error)"
    }
    return "migration failed: \(error)"
  }

  func connect() throws -> any SQLConnection {
    do {
      return try DatabaseConnector.open(settings.database)
    } catch {
      throw CommandFailure(
        status: .failure,
        message: "cannot open \(settings.database.redactedDescription): \(error)")
    }
  }
}

/// A command that cannot run, with the exit status it owes (architecture.md, Exit status).
struct CommandFailure: Error, CustomStringConvertible {
  enum Status: Int32 {
    case failure = 1
    case usage = 2
  }
  let status: Status
  let message: String
  var description: String { message }
}
