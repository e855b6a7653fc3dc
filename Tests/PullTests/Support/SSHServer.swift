import Foundation
import LMSDSTestSupport

/// The private sshd scripts/start-sshd.sh started (through scripts/test.sh), as its exports name it.
struct SSHServer {
  let host: String
  let port: Int
  let user: String
  /// A key the server accepts for `user`.
  let identity: String
  /// A well-formed key the server does not accept.
  let strangerIdentity: String
  /// A known-hosts file listing the server's key.
  let knownHosts: String
  /// The server's public host key (`.pub`), for the fingerprint ssh-keygen prints.
  let hostKeyPublic: String

  static var environment: [String: String] { ProcessInfo.processInfo.environment }
  /// Where a server is there, and always in CI (where its absence must fail, not skip).
  static var shouldRun: Bool { environment["LMSDS_TEST_SSHD_PORT"] != nil || TestEnvironment.isCI }

  init() throws {
    let env = Self.environment
    guard let host = env["LMSDS_TEST_SSHD_HOST"],
      let port = env["LMSDS_TEST_SSHD_PORT"].flatMap(Int.init),
      let user = env["LMSDS_TEST_SSHD_USER"], let identity = env["LMSDS_TEST_SSHD_IDENTITY"],
      let stranger = env["LMSDS_TEST_SSHD_STRANGER_IDENTITY"],
      let knownHosts = env["LMSDS_TEST_SSHD_KNOWN_HOSTS"],
      let hostKey = env["LMSDS_TEST_SSHD_HOST_KEY"]
    else {
      throw TestFailure("LMSDS_TEST_SSHD_* are not set: run through scripts/test.sh")
    }
    (self.host, self.port, self.user) = (host, port, user)
    (self.identity, strangerIdentity, self.knownHosts, hostKeyPublic) = (
      identity, stranger, knownHosts, hostKey
    )
  }

  /// `sftp://user@host:port/path` for a directory of this machine (the server shares its disk).
  func url(_ path: String) -> String { "sftp://\(user)@\(host):\(port)\(path)" }

  /// The host key's fingerprint as OpenSSH's own ssh-keygen prints it (`SHA256:…`).
  func fingerprint() throws -> String {
    let output = try runTool("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", hostKeyPublic])
    guard let field = output.split(separator: " ").first(where: { $0.hasPrefix("SHA256:") }) else {
      throw TestFailure("ssh-keygen printed no fingerprint: \(output)")
    }
    return String(field)
  }
}

/// Runs a system tool to its end and returns its standard output.
func runTool(_ path: String, _ arguments: [String]) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: path)
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self)
}
