import Foundation
import LMSDSTestSupport
import Testing

/// A file the extractor rewrites under the same name is taken again; an untouched one is not.
@Suite(.enabled(if: SSHServer.shouldRun))
struct RewrittenFileTests {
  @Test func aRewrittenFileIsPulledAgain() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try scratch.directory("canvas")
    let landing = try scratch.directory("landing")
    let name = "/users/2020-09-17-15-04-23.csv"
    try RemoteTree.write("id\n1\n", to: remote + name, age: 3600)
    let first = try server.pull(remote, to: landing, in: scratch, ["--provider", "canvas"])
    #expect(summaryCounts(first.output)["pulled"] == 1, "\(first.output)")

    let again = try server.pull(remote, to: landing, in: scratch, ["--provider", "canvas"])
    #expect(summaryCounts(again.output)["pulled"] == 0, "\(again.output)")
    #expect(summaryCounts(again.output)["already"] == 1, "\(again.output)")

    // Same size, other bytes, a later time: only the time tells them apart.
    try RemoteTree.write("id\n2\n", to: remote + name, age: 1800)
    let rewritten = try server.pull(remote, to: landing, in: scratch, ["--provider", "canvas"])
    #expect(rewritten.status == 0, "\(rewritten.output)")
    #expect(summaryCounts(rewritten.output)["pulled"] == 1, "\(rewritten.output)")
    #expect(
      FileManager.default.contents(atPath: landing + "/canvas" + name) == Data("id\n2\n".utf8))
    #expect(
      try RemoteTree.modificationTime(landing + "/canvas" + name)
        == RemoteTree.modificationTime(remote + name))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: landing + "/canvas/users")
    #expect(leftovers == ["2020-09-17-15-04-23.csv"], "no temporary file stays: \(leftovers)")
  }
}
