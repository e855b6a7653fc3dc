import ArgumentParser
import Foundation
import Pull

struct PullCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pull",
    abstract: "Mirrors settled extractor files from SFTP servers into a local source root.",
    discussion: """
      Takes only files a scan recognises, once they are older than --settle-seconds and did not \
      change while read; writes each under a temporary name and renames it into place with the \
      server's modification time. A file already there with the same size and time is skipped; one \
      rewritten on the server is taken again. Nothing is deleted, here or there. Passwords come \
      from an environment variable or a file, never from the command line. Exit status: 0 done, \
      1 a server could not be reached, refused the login or a file could not be read (the other \
      remotes still ran), 2 usage error.
      """)

  @Option(help: "The server directory: sftp://USER@HOST[:PORT]/PATH.")
  var from: String?
  @Option(help: "A JSON file listing many remotes, one per provider (see README).")
  var remotes: String?
  @Option(help: "The local landing directory: a --sources root for load and produce.")
  var to: String
  @Option(
    help:
      "PATH is this provider's root (landed in DIR/NAME); without it, each sub-directory of PATH is one."
  )
  var provider: String?
  @Option(name: .customLong("identity-file"), help: "The private key file to log in with.")
  var identityFile: String?
  @Option(
    name: .customLong("password-env"), help: "The environment variable that holds the password.")
  var passwordEnvironment: String?
  @Option(name: .customLong("password-file"), help: "A file that holds the password.")
  var passwordFile: String?
  @Option(
    name: .customLong("known-hosts"),
    help:
      "The OpenSSH known-hosts file the servers' keys are checked against (default ~/.ssh/known_hosts)."
  )
  var knownHosts: String?
  @Flag(
    name: .customLong("accept-new-host-key"),
    help:
      "Trust a server the known-hosts file lists no key for, and add its key there (never a changed one)."
  )
  var acceptNewHostKey = false
  @Option(
    name: .customLong("settle-seconds"),
    help: "Leave files modified less than this many seconds ago for the next run.")
  var settleSeconds: Double = 30
  @Option(
    name: .customLong("timeout-seconds"),
    help: "Give up on a server that does not answer for this long.")
  var timeoutSeconds: Int32 = 30

  func validate() throws {
    if (from == nil) == (remotes == nil) {
      throw ValidationError("give --from or --remotes (one of them)")
    }
    let secrets = [identityFile, passwordEnvironment, passwordFile].compactMap { $0 }
    if remotes != nil {
      if provider != nil || !secrets.isEmpty {
        throw ValidationError(
          "with --remotes, the provider and credential of each remote come from the file")
      }
    } else if secrets.count != 1 {
      throw ValidationError("give one of --identity-file, --password-env, --password-file")
    }
    if settleSeconds < 0 { throw ValidationError("--settle-seconds must not be negative") }
    if timeoutSeconds < 1 { throw ValidationError("--timeout-seconds must be at least 1") }
  }

  func run() throws {
    let defaultKnownHosts =
      knownHosts
      ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(
        ".ssh/known_hosts"
      ).path
    let sources: [RemoteSource]
    do {
      if let remotes {
        sources = try RemotesFile.read(remotes, defaultKnownHosts: defaultKnownHosts)
      } else {
        let secret: SecretSource =
          if let identityFile { .identityFile(identityFile) } else if let passwordEnvironment {
            .passwordEnvironment(passwordEnvironment)
          } else { .passwordFile(passwordFile ?? "") }
        sources = [
          RemoteSource(
            location: try SFTPLocation(url: from ?? ""), provider: provider, secret: secret,
            knownHosts: defaultKnownHosts)
        ]
      }
    } catch {
      throw CommandFailure(status: .usage, message: "\(error)")
    }
    do {
      try FileManager.default.createDirectory(atPath: to, withIntermediateDirectories: true)
    } catch {
      throw CommandFailure(status: .failure, message: "cannot create \(to): \(error)")
    }
    let puller = Puller(
      landing: to,
      options: PullOptions(
        settleSeconds: settleSeconds, acceptNewHostKeys: acceptNewHostKey,
        timeoutSeconds: timeoutSeconds))
    let summary = puller.pull(sources)
    print(summary.render())
    if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
  }
}
