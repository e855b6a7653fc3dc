import Foundation
import LMSDSTestSupport
import Testing

/// A file the extractor is still writing is left for the next run, then taken once settled.
@Suite(.enabled(if: SSHServer.shouldRun))
struct SettleTests {
  @Test func aFileModifiedWithinTheSettleWindowWaitsForTheNextRun() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try scratch.directory("canvas")
    let landing = try scratch.directory("landing")
    let settled = remote + "/users/2020-09-17-15-04-23.csv"
    let growing = remote + "/sections/2020-09-17-15-04-23.csv"
    try RemoteTree.write("SourceSystemIdentifier\n1\n", to: settled, age: 600)
    try RemoteTree.write("SourceSystemIdentifier\n", to: growing, age: 0)

    let first = try server.pull(
      remote, to: landing, in: scratch, ["--provider", "canvas", "--settle-seconds", "60"])
    #expect(first.status == 0, "\(first.output)")
    #expect(summaryCounts(first.output)["pulled"] == 1, "\(first.output)")
    #expect(summaryCounts(first.output)["settle"] == 1, "\(first.output)")
    #expect(
      FileManager.default.fileExists(atPath: landing + "/canvas/users/2020-09-17-15-04-23.csv"))
    let sections = try FileManager.default.contentsOfDirectory(atPath: landing + "/canvas")
    #expect(!sections.contains("sections"), "nothing, not even a temporary file: \(sections)")

    // The extractor finishes the file; a minute later it is settled.
    try RemoteTree.write("SourceSystemIdentifier\n1\n2\n", to: growing, age: 120)
    let second = try server.pull(
      remote, to: landing, in: scratch, ["--provider", "canvas", "--settle-seconds", "60"])
    #expect(second.status == 0, "\(second.output)")
    #expect(summaryCounts(second.output)["pulled"] == 1, "\(second.output)")
    #expect(summaryCounts(second.output)["already"] == 1, "\(second.output)")
    #expect(
      FileManager.default.contents(atPath: landing + "/canvas/sections/2020-09-17-15-04-23.csv")
        == Data("SourceSystemIdentifier\n1\n2\n".utf8))
  }
}
