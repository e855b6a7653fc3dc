import Foundation
import LMSDSTestSupport
import Testing

/// The server's key is checked against the known-hosts file before any credential is sent.
@Suite(.enabled(if: SSHServer.shouldRun))
struct HostKeyTests {
  func oneFileServer(_ scratch: ScratchDirectory) throws -> String {
    let remote = try scratch.directory("canvas")
    try RemoteTree.write("id\n1\n", to: remote + "/users/2020-09-17-15-04-23.csv", age: 3600)
    return remote
  }

  @Test func anUnknownHostKeyIsRefusedWithItsFingerprint() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try oneFileServer(scratch)
    let knownHosts = scratch.path + "/known_hosts"
    try Data("# nobody yet\n".utf8).write(to: URL(fileURLWithPath: knownHosts))
    let run = try server.pull(
      remote, to: scratch.path + "/landing", in: scratch,
      ["--provider", "canvas", "--known-hosts", knownHosts])
    #expect(run.status == 1, "\(run.output)")
    #expect(run.output.contains(try server.fingerprint()), "\(run.output)")
    #expect(run.output.contains("does not list"), "\(run.output)")
    #expect(!FileManager.default.fileExists(atPath: scratch.path + "/landing/canvas"))
    #expect(try String(contentsOfFile: knownHosts, encoding: .utf8) == "# nobody yet\n")
  }

  @Test func aNewHostKeyIsRecordedOnlyWhenAccepted() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try oneFileServer(scratch)
    let knownHosts = scratch.path + "/known_hosts"
    let accepted = try server.pull(
      remote, to: scratch.path + "/landing", in: scratch,
      ["--provider", "canvas", "--known-hosts", knownHosts, "--accept-new-host-key"])
    #expect(accepted.status == 0, "\(accepted.output)")
    let hostKey = try String(contentsOfFile: server.hostKeyPublic, encoding: .utf8)
      .split(separator: " ").prefix(2).joined(separator: " ")
    let recorded = try String(contentsOfFile: knownHosts, encoding: .utf8)
    #expect(recorded == "[\(server.host)]:\(server.port) \(hostKey)\n")
    // Recorded, it is now simply known.
    let later = try server.pull(
      remote, to: scratch.path + "/landing", in: scratch,
      ["--provider", "canvas", "--known-hosts", knownHosts])
    #expect(later.status == 0, "\(later.output)")
    #expect(summaryCounts(later.output)["already"] == 1, "\(later.output)")
  }

  @Test func aChangedHostKeyIsRefusedEvenWhenNewKeysAreAccepted() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try oneFileServer(scratch)
    let knownHosts = scratch.path + "/known_hosts"
    // Another ed25519 key listed for the same [host]:port: what a replaced server looks like.
    let otherKey = try String(contentsOfFile: server.strangerIdentity + ".pub", encoding: .utf8)
      .split(separator: " ").prefix(2).joined(separator: " ")
    try Data("[\(server.host)]:\(server.port) \(otherKey)\n".utf8).write(
      to: URL(fileURLWithPath: knownHosts))
    let run = try server.pull(
      remote, to: scratch.path + "/landing", in: scratch,
      ["--provider", "canvas", "--known-hosts", knownHosts, "--accept-new-host-key"])
    #expect(run.status == 1, "\(run.output)")
    #expect(run.output.contains("different key"), "\(run.output)")
    #expect(run.output.contains(try server.fingerprint()), "\(run.output)")
    #expect(!FileManager.default.fileExists(atPath: scratch.path + "/landing/canvas"))
  }
}
