/// Why a scan could not start. Problems with single files inside a root do not stop a scan;
/// they are listed in its `ScanResult`.
public enum ScanError: Error, Hashable, Sendable, CustomStringConvertible {
  case rootNotFound(path: String)
  case notADirectory(path: String)
  case unreadableDirectory(path: String, reason: String)
  case noProviderName(path: String)
  case invalidProviderName(String)

  public var description: String {
    switch self {
    case .rootNotFound(let path): return "source root \(path) does not exist"
    case .notADirectory(let path): return "source root \(path) is not a directory"
    case .unreadableDirectory(let path, let reason):
      return "cannot read directory \(path): \(reason)"
    case .noProviderName(let path):
      return "cannot name a provider after \(path): give --provider NAME"
    case .invalidProviderName(let name):
      return
        "\"\(name)\" cannot be a provider name (empty, `.`, `..`, a `/`, or over 255 characters)"
    }
  }
}
