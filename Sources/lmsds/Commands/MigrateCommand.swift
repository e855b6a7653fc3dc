import ArgumentParser
import Store

struct MigrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Creates or upgrades the LMS-DS schema; adopts a database the Ed-Fi loader built.")

  @OptionGroup var database: DatabaseOptions
  @OptionGroup var logging: LoggingOptions

  @Flag(name: .customLong("dry-run"), help: "List the scripts that would run; change nothing.")
  var dryRun = false

  func run() throws {
    let context = try CommandContext(
      command: Self.configuration.commandName ?? "", database: database, logging: logging,
      defaultDatabase: nil)
    let connection = try context.connect()
    let runner = MigrationRunner(dialect: connection.dialect)
    do {
      if dryRun {
        let pending = try runner.dryRun(connection)
        print(pending.isEmpty ? "nothing to migrate" : "would run:")
        for name in pending { print("  \(name)") }
        return
      }
      let report = try runner.migrate(connection)
      for adopted in report.adopted {
        print("adopted \(adopted.script) (journaled by the Ed-Fi loader as \(adopted.journalName))")
      }
      for name in report.applied { print("applied \(name)") }
      print("\(report.applied.count) applied, \(report.alreadyApplied) already applied")
    } catch {
      throw CommandFailure(status: .failure, message: "\(error)")
    }
  }
}
