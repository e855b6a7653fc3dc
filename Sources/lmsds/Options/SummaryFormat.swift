import ArgumentParser

/// How a run's closing summary is printed: a table for people, one JSON object for scripts.
enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
  case text
  case json
}
