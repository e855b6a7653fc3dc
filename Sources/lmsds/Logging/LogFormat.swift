import ArgumentParser

/// How log lines are written to standard error.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  /// One readable line per event.
  case text
  /// One JSON object per line, for log collectors.
  case json
}
