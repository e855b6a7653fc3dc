import Store

/// An outcome as a coloured label; the word itself is always shown, so colour is never the only
/// signal.
enum OutcomeBadge {
  static func html(_ outcome: FileOutcome) -> String {
    "<span class=\"badge outcome-\(outcome.rawValue)\">\(outcome.rawValue)</span>"
  }

  /// A warning beside an outcome (a loaded file with invalid rows, a stale resource): its own
  /// label, so that "loaded" never hides what was set aside.
  static func flag(_ kind: String, _ text: String) -> String {
    "<span class=\"badge flag\" data-flag=\"\(kind)\">\(text.html)</span>"
  }

  /// The flags a file's counts call for: invalid rows and orphans were not loaded.
  static func flags(_ entry: LedgerEntry) -> String {
    var html = ""
    let counts = entry.counts
    if counts.invalid > 0 {
      html += flag(
        "invalid", counts.invalid == 1 ? "1 invalid row" : "\(counts.invalid) invalid rows")
    }
    if counts.orphans > 0 {
      html += flag("orphans", counts.orphans == 1 ? "1 orphan" : "\(counts.orphans) orphans")
    }
    return html
  }
}
