/// Which host keys a session trusts: those of an OpenSSH known-hosts file.
public struct KnownHostsPolicy: Sendable {
  public let path: String
  /// Add a server's key to the file when the file lists no key for that server (never when it
  /// lists a different one), as OpenSSH's `StrictHostKeyChecking accept-new`.
  public let acceptNew: Bool

  public init(path: String, acceptNew: Bool = false) {
    self.path = path
    self.acceptNew = acceptNew
  }
}
