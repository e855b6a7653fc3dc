/// The server and account of one session.
public struct SFTPEndpoint: Sendable, Hashable {
  public let host: String
  public let port: Int
  public let user: String

  public init(host: String, port: Int = 22, user: String) {
    self.host = host
    self.port = port
    self.user = user
  }

  /// `user@host:port`, the way errors and summaries name the server (no secret is part of it).
  public var description: String { "\(user)@\(hostAndPort)" }

  /// `host:port`, with brackets around an IPv6 address.
  public var hostAndPort: String {
    let shown = host.contains(":") ? "[\(host)]" : host
    return "\(shown):\(port)"
  }
}
