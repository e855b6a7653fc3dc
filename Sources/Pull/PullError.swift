/// A pull that cannot start: a configuration mistake, found before any connection is made.
public enum PullError: Error, CustomStringConvertible, Sendable, Equatable {
  case badLocation(String, String)
  case badRemotesFile(path: String, reason: String)
  case missingSecret(String)
  case landing(path: String, reason: String)

  public var description: String {
    switch self {
    case .badLocation(let url, let reason): return "\(url): \(reason)"
    case .badRemotesFile(let path, let reason): return "remotes file \(path): \(reason)"
    case .missingSecret(let reason): return reason
    case .landing(let path, let reason): return "cannot write \(path): \(reason)"
    }
  }
}
