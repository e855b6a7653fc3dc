import Foundation
import LMSDSTestSupport
import Testing

/// A refused login or an unreachable server fails the run with status 1, naming host and user and
/// never the secret; with many remotes, the others are still pulled.
@Suite(.enabled(if: SSHServer.shouldRun))
struct LoginTests {
  @Test func aKeyTheServerDoesNotAcceptExitsOne() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try scratch.directory("canvas")
    try RemoteTree.write("id\n1\n", to: remote + "/users/2020-09-17-15-04-23.csv", age: 3600)
    let run = try server.pull(
      remote, to: scratch.path + "/landing", in: scratch,
      ["--provider", "canvas", "--identity-file", server.strangerIdentity])
    #expect(run.status == 1, "\(run.output)")
    #expect(run.output.contains("refused the login of user \(server.user)"), "\(run.output)")
    #expect(run.output.contains("\(server.host):\(server.port)"), "\(run.output)")
    let privateKey = try String(contentsOfFile: server.strangerIdentity, encoding: .utf8)
    for line in privateKey.split(separator: "\n") where !line.hasPrefix("-----") {
      #expect(!run.output.contains(line), "a line of the private key was printed")
    }
    #expect(!FileManager.default.fileExists(atPath: scratch.path + "/landing/canvas"))
  }

  @Test func aWrongPasswordExitsOneWithoutPrintingIt() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try scratch.directory("canvas")
    let secret = "pw-" + UUID().uuidString
    let run = try server.pull(
      remote, to: scratch.path + "/landing", in: scratch,
      ["--provider", "canvas", "--password-env", "LMSDS_TEST_SFTP_PASSWORD"],
      environment: ["LMSDS_TEST_SFTP_PASSWORD": secret])
    #expect(run.status == 1, "\(run.output)")
    #expect(run.output.contains("user \(server.user)"), "\(run.output)")
    #expect(
      run.output.contains("LMSDS_TEST_SFTP_PASSWORD"), "names where it came from: \(run.output)")
    #expect(!run.output.contains(secret))
  }

  @Test func aPasswordInTheURLIsAUsageErrorThatHidesIt() throws {
    let scratch = try ScratchDirectory()
    let secret = "pw" + UUID().uuidString.prefix(8)
    let run = try LmsdsRun.run(
      [
        "pull", "--from", "sftp://lms:\(secret)@127.0.0.1:1/x", "--to", scratch.path + "/landing",
        "--password-env", "X",
      ], in: scratch.path)
    #expect(run.status == 2, "\(run.output)")
    #expect(!run.output.contains(secret), "\(run.output)")
  }

  @Test func manyRemotesOneUnreachableOneRefusedTheOthersStillRun() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try scratch.directory("district")
    try RemoteTree.write("id\n1\n", to: remote + "/users/2020-09-17-15-04-23.csv", age: 3600)
    let closedPort = try Self.closedLoopbackPort()
    let remotes = """
      { "remotes": [
        { "provider": "unreachable", "url": "sftp://nightly@127.0.0.1:\(closedPort)\(remote)",
          "identityFile": "\(server.identity)", "knownHosts": "\(server.knownHosts)" },
        { "provider": "refused", "url": "\(server.url(remote))",
          "identityFile": "\(server.strangerIdentity)", "knownHosts": "\(server.knownHosts)" },
        { "provider": "good", "url": "\(server.url(remote))",
          "identityFile": "\(server.identity)", "knownHosts": "\(server.knownHosts)" }
      ] }
      """
    try Data(remotes.utf8).write(to: URL(fileURLWithPath: scratch.path + "/remotes.json"))
    let run = try LmsdsRun.run(
      ["pull", "--remotes", "remotes.json", "--to", "landing"], in: scratch.path)
    #expect(run.status == 1, "\(run.output)")
    #expect(run.output.contains("nightly@127.0.0.1:\(closedPort)"), "\(run.output)")
    #expect(run.output.contains("refused the login of user \(server.user)"), "\(run.output)")
    #expect(summaryCounts(run.output)["pulled"] == 1, "\(run.output)")
    #expect(
      FileManager.default.fileExists(
        atPath: scratch.path + "/landing/good/users/2020-09-17-15-04-23.csv"))
  }

  /// A loopback port nothing listens on: bound, then released.
  static func closedLoopbackPort() throws -> Int {
    let output = try runTool(
      "/usr/bin/python3",
      [
        "-c",
        "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1]); s.close()",
      ])
    guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      throw TestFailure("no free port: \(output)")
    }
    return port
  }
}
