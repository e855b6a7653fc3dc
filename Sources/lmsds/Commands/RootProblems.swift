import ExtractorTree

/// The roots of a `load` or `produce` that hold nothing to load, each with its likely mistake
/// (an empty directory, a `--csvpath` one level too high, `--sources` given one provider's root).
enum RootProblems {
  /// Walks each root once; the command surveys the walks, then scans them.
  static func walk(_ roots: [SourceRoot]) throws -> [RootWalk] {
    do {
      return try roots.map(RootWalk.init)
    } catch {
      throw CommandFailure(status: .usage, message: "\(error)")
    }
  }

  static func find(in surveys: [RootSurvey], sources: String?) -> [String] {
    if surveys.isEmpty, let sources {
      return [
        "\(sources) holds no provider directory: each sub-directory of --sources is one "
          + "provider's root (use --csvpath for a single provider's root)"
      ]
    }
    return surveys.compactMap(\.problem)
  }
}
