import Foundation
import LMSDSTestSupport
import Testing

/// With nothing configured, `load` still uses the embedded SQLite file, but says so.
struct DefaultDatabaseTests {
  @Test func theEmbeddedDefaultIsAnnouncedWithTheWaysToChooseAnother() throws {
    let scratch = try ScratchDirectory()
    let run = try LmsdsRun.run(
      ["load", "--csvpath", sampleRoot, "--settle-seconds", "0"], in: scratch.path)
    #expect(run.status == 0 || run.status == 3, "\(run.output)")
    #expect(scratch.exists("lms.sqlite"))
    let lines = run.standardError.split(separator: "\n").map(String.init)
    #expect(lines.first?.contains("database sqlite:lms.sqlite") == true, "\(run.standardError)")
    let notes = lines.filter { $0.contains("no database configured") }
    #expect(notes.count == 1, "\(run.standardError)")
    #expect(notes.first?.contains("sqlite:\(scratch.path)/lms.sqlite") == true)
    #expect(notes.first?.contains("--database") == true)
    #expect(run.standardOutput.contains("Database  sqlite:lms.sqlite"), "\(run.standardOutput)")
  }

  @Test func aConfiguredDatabaseIsNamedWithoutTheNote() throws {
    let scratch = try ScratchDirectory()
    let run = try LmsdsRun.run(
      ["load", "--csvpath", sampleRoot, "--settle-seconds", "0"], in: scratch.path,
      environment: ["DATABASE_URL": "sqlite:chosen.sqlite"])
    #expect(run.status == 0 || run.status == 3, "\(run.output)")
    #expect(scratch.exists("chosen.sqlite"))
    #expect(!scratch.exists("lms.sqlite"))
    #expect(
      run.standardError.split(separator: "\n").first?.contains("database sqlite:chosen.sqlite")
        == true)
    #expect(!run.output.contains("no database configured"))
  }
}
