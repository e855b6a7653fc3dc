import Foundation
import SFTP

/// Where a remote's credential comes from: a key file, or a password kept in an environment
/// variable or a file. Never the secret itself, so that nothing holding one is ever on a command
/// line (`ps`) or in a remotes file checked into configuration.
public enum SecretSource: Sendable, Hashable {
  case identityFile(String)
  case passwordEnvironment(String)
  case passwordFile(String)

  /// Reads the secret now. A password file's trailing newline is not part of the password.
  public func credential(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(PullError) -> SFTPCredential {
    switch self {
    case .identityFile(let path):
      return .privateKey(path: path, passphrase: nil)
    case .passwordEnvironment(let name):
      guard let password = environment[name], !password.isEmpty else {
        throw .missingSecret("environment variable \(name) (the password) is not set")
      }
      return .password(password, source: "environment variable \(name)")
    case .passwordFile(let path):
      guard let data = FileManager.default.contents(atPath: path) else {
        throw .missingSecret("cannot read password file \(path)")
      }
      var password = String(decoding: data, as: UTF8.self)
      while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
      guard !password.isEmpty else { throw .missingSecret("password file \(path) is empty") }
      return .password(password, source: "file \(path)")
    }
  }
}
