/// Why an SFTP session or transfer failed, worded for an operator: each names the server and,
/// where a login is involved, the user. No case carries a password, passphrase or key material.
public enum SFTPError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The TCP connection could not be made (refused, no route, unknown host, timed out).
  case unreachable(server: String, reason: String)
  /// The SSH handshake failed after the TCP connection was made.
  case handshake(server: String, reason: String)
  /// The host key is in no known-hosts entry for this server.
  case unknownHostKey(server: String, keyType: String, fingerprint: String, knownHosts: String)
  /// A known-hosts entry names this server with a different key: possibly an impostor.
  case changedHostKey(server: String, keyType: String, fingerprint: String, knownHosts: String)
  /// The known-hosts file could not be read or written.
  case knownHostsFile(path: String, reason: String)
  /// The server refused the login (wrong key, wrong password, user unknown).
  case loginRefused(server: String, user: String, method: String)
  /// An SFTP request failed: `operation` on `path`, with the server's status.
  case request(server: String, operation: String, path: String, reason: String)
  /// The connection broke in the middle of a transfer or a listing.
  case connectionLost(server: String, reason: String)

  public var description: String {
    switch self {
    case .unreachable(let server, let reason):
      return "cannot reach \(server): \(reason)"
    case .handshake(let server, let reason):
      return "SSH handshake with \(server) failed: \(reason)"
    case .unknownHostKey(let server, let keyType, let fingerprint, let knownHosts):
      return
        "\(server) offers host key \(keyType) \(fingerprint), which \(knownHosts) does not list: "
        + "check the fingerprint with the server's owner, then add it to \(knownHosts) "
        + "or run once with --accept-new-host-key"
    case .changedHostKey(let server, let keyType, let fingerprint, let knownHosts):
      return
        "\(server) offers host key \(keyType) \(fingerprint), but \(knownHosts) lists a different "
        + "key for it: refusing to connect (the server was reinstalled, or someone is in between)"
    case .knownHostsFile(let path, let reason):
      return "cannot use known-hosts file \(path): \(reason)"
    case .loginRefused(let server, let user, let method):
      return "\(server) refused the login of user \(user) (\(method))"
    case .request(let server, let operation, let path, let reason):
      return "\(server): cannot \(operation) \(path): \(reason)"
    case .connectionLost(let server, let reason):
      return "connection to \(server) lost: \(reason)"
    }
  }
}
