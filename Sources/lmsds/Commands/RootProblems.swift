import Producer

/// The roots of a `load` that hold nothing to load, each with its likely mistake (an empty
/// directory, a `--csvpath` one level too high, `--sources` given one provider's root).
enum RootProblems {
  static func find(in roots: [SourceRoot], sources: String?) throws -> [String] {
    if roots.isEmpty, let sources {
      return [
        "\(sources) holds no provider directory: each sub-directory of --sources is one "
          + "provider's root (use --csvpath for a single provider's root)"
      ]
    }
    do {
      return try roots.compactMap { try RootSurvey.survey($0).problem }
    } catch {
      throw CommandFailure(status: .usage, message: "\(error)")
    }
  }
}
