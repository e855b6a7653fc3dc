import Foundation
import LMSDSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A pull killed in the middle of a file (its connection dies with it) leaves no partial file
/// under the final name, and the next run lands the whole file.
@Suite(.enabled(if: SSHServer.shouldRun))
struct InterruptedPullTests {
  @Test func aPullKilledMidFileLeavesNoPartialFileAndTheNextRunCompletes() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try scratch.directory("canvas")
    let landing = scratch.path + "/landing"
    let name = "/users/2020-09-17-15-04-23.csv"
    // Big enough that reading it takes a while; sparse, so the server side costs no disk.
    let size: UInt64 = 64 * 1024 * 1024
    try FileManager.default.createDirectory(
      atPath: remote + "/users", withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: remote + name, contents: nil)
    let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: remote + name))
    try writer.truncate(atOffset: size)
    try writer.close()
    try RemoteTree.setAge(remote + name, 3600)

    let finalPath = landing + "/canvas" + name
    let temporaryPath = landing + "/canvas/users/.2020-09-17-15-04-23.csv.lmsds-pull"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: LmsdsRun.binary)
    process.arguments = [
      "pull", "--from", server.url(remote), "--to", landing, "--provider", "canvas",
      "--identity-file", server.identity, "--known-hosts", server.knownHosts,
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Kill it as soon as its temporary file exists: the transfer is then under way.
    let deadline = Date().addingTimeInterval(30)
    while process.isRunning, Date() < deadline,
      !FileManager.default.fileExists(atPath: temporaryPath)
    {
      Thread.sleep(forTimeInterval: 0.002)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    // Either it was stopped mid-file (no final file) or it had already finished (a whole one).
    if let attributes = try? FileManager.default.attributesOfItem(atPath: finalPath) {
      #expect((attributes[.size] as? NSNumber)?.uint64Value == size)
    }

    let next = try server.pull(remote, to: landing, in: scratch, ["--provider", "canvas"])
    #expect(next.status == 0, "\(next.output)")
    let attributes = try FileManager.default.attributesOfItem(atPath: finalPath)
    #expect((attributes[.size] as? NSNumber)?.uint64Value == size)
    #expect(
      try RemoteTree.modificationTime(finalPath) == RemoteTree.modificationTime(remote + name))
    #expect(!FileManager.default.fileExists(atPath: temporaryPath))
  }
}
