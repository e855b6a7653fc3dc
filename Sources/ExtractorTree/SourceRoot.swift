import Foundation
import Messages

/// One extractor root and the provider it belongs to (load-semantics §1).
public struct SourceRoot: Hashable, Sendable {
  public let provider: ProviderName
  /// Absolute and lexically normalized, without a trailing `/`.
  public let path: String

  public init(provider: ProviderName, path: String) {
    self.provider = provider
    self.path = path
  }

  /// `--csvpath DIR [--provider NAME]`: the provider is NAME, else the directory's base name.
  public static func csvPath(
    _ path: String, provider: String? = nil,
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) throws -> SourceRoot {
    let absolute = normalizedAbsolutePath(path, currentDirectory: currentDirectory)
    let name: ProviderName
    if let provider {
      name = try validatedProviderName(provider)
    } else {
      guard let base = absolute.split(separator: "/").last else {
        throw ScanError.noProviderName(path: path)
      }
      name = try validatedProviderName(String(base))
    }
    try requireDirectory(absolute)
    return SourceRoot(provider: name, path: absolute)
  }

  /// `--sources DIR`: every sub-directory of DIR is a source named after it. Hidden entries
  /// (`.snapshot`, `.Trash`, …) are skipped: they are file-system furniture, not providers.
  public static func sources(
    in parent: String, currentDirectory: String = FileManager.default.currentDirectoryPath
  ) throws -> [SourceRoot] {
    let absolute = normalizedAbsolutePath(parent, currentDirectory: currentDirectory)
    try requireDirectory(absolute)
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: absolute)
    } catch {
      throw ScanError.unreadableDirectory(path: absolute, reason: "\(error.localizedDescription)")
    }
    return try names.filter { !$0.hasPrefix(".") }
      .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      .compactMap { name -> SourceRoot? in
        let path = absolute == "/" ? "/\(name)" : "\(absolute)/\(name)"
        // A sub-directory may be a symbolic link to a mounted root; plain files are not sources.
        guard FileSystem.kind(ofPathFollowingLinks: path) == .directory else { return nil }
        return SourceRoot(provider: try validatedProviderName(name), path: path)
      }
  }

  /// The provider name rule of the command line: the base name once `.`, `..` and trailing `/`
  /// are resolved, so `/data/canvas/`, `/data/canvas/.` and `canvas` run from `/data` agree.
  /// Lexical on purpose: a renamed symbolic link must not silently rename a provider.
  public static func providerName(forPath path: String, currentDirectory: String) -> ProviderName? {
    let absolute = normalizedAbsolutePath(path, currentDirectory: currentDirectory)
    return absolute.split(separator: "/").last.map { ProviderName(String($0)) }
  }

  static func normalizedAbsolutePath(_ path: String, currentDirectory: String) -> String {
    let joined = path.hasPrefix("/") ? path : currentDirectory + "/" + path
    var components: [Substring] = []
    for component in joined.split(separator: "/") {
      switch component {
      case ".": continue
      case "..": _ = components.popLast()
      default: components.append(component)
      }
    }
    return "/" + components.joined(separator: "/")
  }

  /// The root's directory must also be one a file system can hold (`NAME_MAX`).
  static func validatedProviderName(_ name: String) throws -> ProviderName {
    let provider = ProviderName(name)
    guard provider.namesOneDirectory, name.count <= 255 else {
      throw ScanError.invalidProviderName(name)
    }
    return provider
  }

  private static func requireDirectory(_ path: String) throws {
    switch FileSystem.kind(ofPathFollowingLinks: path) {
    case .directory: return
    case nil: throw ScanError.rootNotFound(path: path)
    default: throw ScanError.notADirectory(path: path)
    }
  }
}
