/// How a session proves who it is. The secret itself stays out of every description, so that a
/// credential printed by mistake (a log line, an error) shows only where it came from.
public enum SFTPCredential: Sendable, CustomStringConvertible {
  /// A private key file (OpenSSH or PEM format), with its passphrase when it has one.
  case privateKey(path: String, passphrase: String?)
  /// A password, with a note of where it was read (an environment variable's or a file's name).
  case password(String, source: String)

  /// What a refused login names: the method and where its secret came from, never the secret.
  public var description: String {
    switch self {
    case .privateKey(let path, _): return "public key \(path)"
    case .password(_, let source): return "password from \(source)"
    }
  }
}
