import Messages

/// Whether a source root holds anything to load, and when it does not, the likely mistake: an
/// empty or wrongly placed root otherwise ends like a quiet night (architecture, exit status 3).
/// Walks the root without reading or hashing a file.
public struct RootSurvey: Sendable, Hashable {
  public let root: SourceRoot
  /// LMS-UDM files, settled or not, relative to the root.
  public let recognizedPaths: [String]
  public var recognized: Int { recognizedPaths.count }
  /// `.csv` files at paths the LMS-UDM layout does not name, relative to the root.
  public let unrecognized: [String]

  public init(root: SourceRoot, recognizedPaths: [String], unrecognized: [String]) {
    self.root = root
    self.recognizedPaths = recognizedPaths
    self.unrecognized = unrecognized
  }

  public static func survey(_ root: SourceRoot) throws -> RootSurvey {
    survey(try RootWalk(root))
  }

  public static func survey(_ walk: RootWalk) -> RootSurvey {
    let root = walk.root
    let discovery = walk.discovery
    let prefix = root.path == "/" ? "/" : root.path + "/"
    let relative = discovery.unrecognized.map {
      $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0
    }
    return RootSurvey(
      root: root, recognizedPaths: discovery.candidates.map(\.relativePath),
      unrecognized: relative.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
  }

  /// nil when the root holds an LMS-UDM file; else what is wrong and what to do, naming the root.
  public var problem: String? {
    guard recognized == 0 else { return nil }
    let name = "provider \(root.provider) (\(root.path))"
    if unrecognized.isEmpty {
      return "\(name) holds no .csv file: is this the directory the extractor writes to?"
    }
    // One level too high: under a sub-directory the paths are LMS-UDM paths.
    let oneLevelDown = unrecognized.filter { path in
      guard let slash = path.firstIndex(of: "/") else { return false }
      return ResourceLocation(relativePath: String(path[path.index(after: slash)...])) != nil
    }
    if !oneLevelDown.isEmpty {
      let providers = Set(oneLevelDown.compactMap { $0.split(separator: "/").first }).sorted()
      let these =
        providers.count == 1
        ? "\(providers[0]) looks like a provider root"
        : "\(providers.joined(separator: ", ")) look like provider roots"
      return "\(name) holds \(unrecognized.count) .csv files but none at an LMS-UDM path; "
        + "\(these): use --sources \(root.path)"
    }
    // One level too low: `--sources` given one provider's root, so each resource directory was
    // taken for a provider.
    let withParent = unrecognized.filter {
      ResourceLocation(relativePath: "\(root.provider)/\($0)") != nil
    }
    if !withParent.isEmpty {
      let parent = String(root.path[..<(root.path.lastIndex(of: "/") ?? root.path.endIndex)])
      return "\(name) holds \(unrecognized.count) .csv files but none at an LMS-UDM path; "
        + "its parent looks like one provider's root: use --csvpath \(parent.isEmpty ? "/" : parent)"
    }
    return "\(name) holds \(unrecognized.count) .csv files but none at an LMS-UDM path "
      + "(such as users/<YYYY-MM-DD-HH-MM-SS>.csv or section=<id>/grades/<…>.csv), "
      + "for example \(unrecognized[0])"
  }
}
