import Store

/// An outcome as a coloured label; the word itself is always shown, so colour is never the only
/// signal.
enum OutcomeBadge {
  static func html(_ outcome: FileOutcome) -> String {
    "<span class=\"badge outcome-\(outcome.rawValue)\">\(outcome.rawValue)</span>"
  }
}
