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
        let plan = try runner.plan(connection)
        print(plan.pending.isEmpty ? "nothing to migrate" : "would run:")
        for name in plan.pending { print("  \(name)") }
        if !plan.unknown.isEmpty {
          print(
            "the database holds scripts this lmsds (\(LMSDSVersion.current), newest script "
              + "\(runner.migrations.last?.name ?? "none")) does not know; migrate would refuse:")
          for name in plan.unknown { print("  \(name)") }
          // A script checking first learns from the status that the real run would refuse.
          throw ExitCode(1)
        }
        return
      }
      let report: MigrationReport
      do {
        report = try runner.migrate(connection)
      } catch {
        throw CommandFailure(status: .failure, message: CommandContext.migrationFailure(error))
      }
      for adopted in report.adopted {
        print("adopted \(adopted.script) (journaled by the Ed-Fi loader as \(adopted.journalName))")
      }
      for name in report.applied { print("applied \(name)") }
      print("\(report.applied.count) applied, \(report.alreadyApplied) already applied")
    } catch let failure as CommandFailure {
      throw failure
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw CommandFailure(status: .failure, message: "\(error)")
    }
  }
}
