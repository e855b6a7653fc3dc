import Foundation
import LMSDSTestSupport
import Store
import Testing

/// A database migrated by a newer lmsds is refused by every command that migrates, naming the
/// script and the versions; `migrate --dry-run` lists it.
struct NewerSchemaTests {
  static let newerScript = "9001_written_by_a_newer_lmsds"

  @Test func aNewerSchemaIsRefusedByEveryCommand() throws {
    let scratch = try ScratchDirectory()
    let sources = try scratch.directory("sources")
    let database = ["--database", "sqlite:lms.sqlite"]
    let migrated = try LmsdsRun.run(["migrate"] + database, in: scratch.path)
    #expect(migrated.status == 0, "\(migrated.output)")
    let version = try LmsdsRun.run(["--version"], in: scratch.path).standardOutput
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(!version.isEmpty)
    let newestKnown = try #require(MigrationRunner(dialect: .sqlite).migrations.last?.name)

    let connection = try SQLiteConnection(path: scratch.path + "/lms.sqlite")
    try connection.execute(
      "INSERT INTO MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, datetime('now'), $2)",
      [.text(Self.newerScript), .text(String(repeating: "0", count: 64))])

    let commands: [[String]] = [
      ["migrate"],
      ["load", "--csvpath", sampleRoot, "--settle-seconds", "0"],
      ["work", "--sources", sources, "--brokers", "127.0.0.1:1"],
      ["produce", "--csvpath", sampleRoot, "--brokers", "127.0.0.1:1", "--settle-seconds", "0"],
    ]
    for command in commands {
      let run = try LmsdsRun.run(command + database, in: scratch.path, timeout: 60)
      #expect(run.status == 1, "\(command[0]): \(run.output)")
      for part in [Self.newerScript, newestKnown, "lmsds \(version)"] {
        #expect(
          run.standardError.contains(part), "\(command[0]) does not name \(part): \(run.output)")
      }
    }
    // Nothing was loaded on the way.
    let ledger = try connection.query("SELECT count(*) FROM FileLedger")
    #expect(ledger.first?.int(0) == 0)

    let dryRun = try LmsdsRun.run(["migrate", "--dry-run"] + database, in: scratch.path)
    #expect(dryRun.status == 1, "\(dryRun.output)")
    #expect(dryRun.standardOutput.contains("nothing to migrate"))
    #expect(dryRun.standardOutput.contains("  \(Self.newerScript)"), "\(dryRun.output)")
  }

  @Test func theDryRunListsWhatWouldRun() throws {
    let scratch = try ScratchDirectory()
    let run = try LmsdsRun.run(
      ["migrate", "--dry-run", "--database", "sqlite:lms.sqlite"], in: scratch.path)
    #expect(run.status == 0, "\(run.output)")
    for migration in MigrationRunner(dialect: .sqlite).migrations {
      #expect(run.standardOutput.contains("  \(migration.name)\n"))
    }
    #expect(!run.standardOutput.contains("does not know"))
  }
}
