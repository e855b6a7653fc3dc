import Foundation
import SFTP

/// A parsed `sftp://USER@HOST[:PORT]/PATH`.
public struct SFTPLocation: Sendable, Hashable, CustomStringConvertible {
  public let endpoint: SFTPEndpoint
  /// The directory on the server, as the URL spells it (percent-decoded).
  public let path: String

  public init(endpoint: SFTPEndpoint, path: String) {
    self.endpoint = endpoint
    self.path = path
  }

  /// Nil-free parsing with a reason: a password in the URL is refused, since a URL ends up on
  /// command lines and in logs.
  public init(url text: String) throws(PullError) {
    guard let components = URLComponents(string: text), components.scheme?.lowercased() == "sftp"
    else { throw .badLocation(text, "expected sftp://USER@HOST[:PORT]/PATH") }
    if components.password != nil {
      throw .badLocation(
        Self.redacted(text),
        "a password does not go in the URL: give it in an environment variable or a file")
    }
    guard let user = components.user, !user.isEmpty else {
      throw .badLocation(text, "the URL names no user (sftp://USER@HOST/PATH)")
    }
    guard let host = components.host, !host.isEmpty else {
      throw .badLocation(text, "the URL names no host")
    }
    let path = components.path
    guard !path.isEmpty else { throw .badLocation(text, "the URL names no path") }
    let port = components.port ?? 22
    guard (1...65535).contains(port) else {
      throw .badLocation(text, "port \(port) is out of range")
    }
    let bareHost =
      host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    endpoint = SFTPEndpoint(
      host: bareHost, port: port, user: user.removingPercentEncoding ?? user)
    self.path = path
  }

  public var description: String {
    let portPart = endpoint.port == 22 ? "" : ":\(endpoint.port)"
    let host = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
    return "sftp://\(endpoint.user)@\(host)\(portPart)\(path)"
  }

  /// The URL with anything between `//` and `@` hidden, for the error about it.
  private static func redacted(_ text: String) -> String {
    guard let start = text.range(of: "//"),
      let at = text.range(of: "@", range: start.upperBound..<text.endIndex)
    else { return "sftp://…" }
    return String(text[..<start.upperBound]) + "…" + String(text[at.lowerBound...])
  }
}
