import LMSDSTestSupport
import Testing

/// `lmsds --version`, and the same version on the first log line of every run.
struct VersionTests {
  @Test func theVersionIsPrintedAndLogged() throws {
    let scratch = try ScratchDirectory()
    let run = try LmsdsRun.run(["--version"], in: scratch.path)
    #expect(run.status == 0)
    #expect(run.standardOutput.wholeMatch(of: #/\d+\.\d+\.\d+\S*\n/#) != nil, "\(run.output)")
    let version = run.standardOutput.dropLast()
    let migrate = try LmsdsRun.run(
      ["migrate", "--database", "sqlite:lms.sqlite"], in: scratch.path)
    let firstLine = migrate.standardError.split(separator: "\n").first ?? ""
    #expect(
      firstLine.contains("INFO lmsds \(version) migrate: database sqlite:lms.sqlite"),
      "\(migrate.standardError)")
  }
}
