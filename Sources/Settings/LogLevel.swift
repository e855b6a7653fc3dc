/// How much to log. Accepts swift-log's names and the Ed-Fi loader's (`DEBUG`, `INFO`,
/// `WARNING`, `ERROR`, `CRITICAL`), in any case, so an Ed-Fi `LOG_LEVEL` keeps working.
public enum LogLevel: String, Sendable, Hashable, CaseIterable {
  case trace
  case debug
  case info
  case notice
  case warning
  case error
  case critical

  public init?(name: String) {
    let lowered = name.lowercased()
    if lowered == "warn" {
      self = .warning
    } else if let level = LogLevel(rawValue: lowered) {
      self = level
    } else {
      return nil
    }
  }
}
