import Foundation

/// Adds `# HELP` lines to Prometheus text that lacks them: metrics made through swift-metrics
/// reach the registry without help text, and Prometheus' own lint (`promtool check metrics`)
/// reports every metric without one.
public enum MetricsHelp {
  /// `text` with a `# HELP name …` line before each `# TYPE name …` line whose name `help`
  /// knows and that has none yet.
  public static func annotate(_ text: String, help: [String: String]) -> String {
    var output: [Substring] = []
    var helped = Set<Substring>()
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let words = line.split(separator: " ", maxSplits: 3)
      if words.count >= 3, words[0] == "#", words[1] == "HELP" { helped.insert(words[2]) }
      if words.count >= 3, words[0] == "#", words[1] == "TYPE", !helped.contains(words[2]),
        let text = help[String(words[2])]
      {
        output.append("# HELP \(words[2]) \(escaped(text))")
        helped.insert(words[2])
      }
      output.append(line)
    }
    return output.joined(separator: "\n")
  }

  /// The exposition format's escapes for help text: backslash and line feed.
  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
  }
}
