import ExtractorTree

/// The provider roots one batch has looked at: each is checked once (a directory? its real
/// path?), not once per message — a thousand messages of a provider share one root.
///
/// Kept for one batch only: a root mounted or unmounted meanwhile is seen by the next batch.
public struct ProviderRoots: Sendable {
  private var known: [String: String?] = [:]

  public init() {}

  /// Whether `root` is a directory, following links.
  public mutating func isDirectory(_ root: String) -> Bool {
    realPath(of: root) != nil
  }

  /// `root`'s real path (every link resolved), nil when it is not a directory.
  public mutating func realPath(of root: String) -> String? {
    if let seen = known[root] { return seen }
    var real: String?
    if FileSystem.status(root, followingLinks: true)?.kind == .directory {
      real = SourcePath.realPath(root)
    }
    known[root] = real
    return real
  }
}
