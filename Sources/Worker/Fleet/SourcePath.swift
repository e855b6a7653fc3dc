import ExtractorTree
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a message's file lies under this worker's own mount of its provider's root.
///
/// A message is data from the network: its path is never trusted. It must be relative, hold no
/// `.`/`..`/empty component, and its real path (every symbolic link resolved) must stay inside the
/// root's real path — so neither `../../etc/passwd` nor a link planted in the tree reads outside.
public enum SourcePath {
  public enum Resolution: Sendable, Hashable {
    /// The file's real path, inside the root.
    case inside(String)
    /// Nothing there (yet, or any more): worth looking again.
    case missing(String)
    /// Never acceptable, however often it is tried.
    case refused(String)
  }

  /// Checks the relative path's shape without touching the file system.
  public static func lexicalProblem(_ relativePath: String) -> String? {
    if relativePath.isEmpty { return "the path is empty" }
    if relativePath.hasPrefix("/") { return "the path is absolute" }
    if relativePath.utf8.contains(0) { return "the path holds a NUL character" }
    if relativePath.contains("\\") { return "the path holds a backslash" }
    for component in relativePath.split(separator: "/", omittingEmptySubsequences: false) {
      switch component {
      case "": return "the path has an empty component"
      case ".", "..": return "the path has a '\(component)' component"
      default: continue
      }
    }
    return nil
  }

  /// Resolves `relativePath` under `root` (both real paths compared, so a root that is itself a
  /// symbolic link to a mount works).
  public static func resolve(_ relativePath: String, under root: String) -> Resolution {
    locate(relativePath, under: root, realRoot: realPath(root)).resolution
  }

  /// `resolve`, given the root's real path (nil: not there) and telling the file's size too.
  static func locate(_ relativePath: String, under root: String, realRoot: String?)
    -> (resolution: Resolution, size: Int64?)
  {
    if let problem = lexicalProblem(relativePath) { return (.refused(problem), nil) }
    guard let realRoot else {
      return (.missing("the provider's root \(root) is not there"), nil)
    }
    let joined = (root.hasSuffix("/") ? root : root + "/") + relativePath
    guard let real = realPath(joined) else {
      // A dangling link whose target would lie outside is still refused, not retried.
      if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: joined),
        target.hasPrefix("/"), !isInside(target, realRoot)
      {
        return (.refused("it is a link that leads outside the provider's root"), nil)
      }
      return (.missing("the file is missing"), nil)
    }
    guard isInside(real, realRoot) else {
      return (.refused("it is a link that leads outside the provider's root"), nil)
    }
    guard let status = FileSystem.status(real, followingLinks: true) else {
      return (.missing("the file is missing"), nil)
    }
    guard status.kind == .regular else {
      return (.refused("it is not a regular file"), nil)
    }
    return (.inside(real), status.size)
  }

  static func isInside(_ path: String, _ root: String) -> Bool {
    root == "/" ? path.hasPrefix("/") : path.hasPrefix(root + "/")
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
