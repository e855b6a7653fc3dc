import LMSDSTestSupport
import Testing

/// `lmsds work --park-retry`: shown in the help, and a value that is not a positive number of
/// seconds (or is absurdly long) is a usage error before anything connects.
struct ParkRetryOptionTests {
  @Test func parkRetryIsAPositiveNumberOfSeconds() throws {
    let scratch = try ScratchDirectory(prefix: "lmsds-park-retry")
    let help = try LmsdsRun.run(["work", "--help"], in: scratch.path)
    #expect(help.status == 0)
    #expect(help.output.contains("--park-retry <seconds>"), "\(help.output)")
    for value in ["0", "-3", "nan", "1e12"] {
      let run = try LmsdsRun.run(
        [
          "work", "--sources", scratch.path, "--brokers", "127.0.0.1:1",
          "--database", "sqlite:\(scratch.path)/none.sqlite", "--park-retry=\(value)",
        ], in: scratch.path)
      #expect(run.status == 2, "\(value): \(run.output)")
      #expect(
        run.output.contains("--park-retry must be a positive number of seconds"), "\(run.output)")
    }
  }
}
