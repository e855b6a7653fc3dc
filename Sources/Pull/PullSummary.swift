import Foundation

/// What one pull did, over all its remotes, for the closing lines.
public struct PullSummary: Sendable {
  public var pulled = 0
  public var alreadyThere = 0
  public var leftToSettle = 0
  /// Paths (`provider/relative`) of files a scan would not recognise, left on the server.
  public var unrecognised: [String] = []
  public var bytes: UInt64 = 0
  public var seconds = 0.0
  /// One line per remote that could not be pulled (unreachable, login refused, a failed read).
  public var failures: [String] = []

  public init() {}

  /// 1 when any remote or file failed (the others were still pulled), else 0.
  public var exitCode: Int32 { failures.isEmpty ? 0 : 1 }

  public func render() -> String {
    var lines = [
      "pull: \(pulled) pulled (\(bytes) bytes), \(alreadyThere) already there, "
        + "\(leftToSettle) left to settle, \(unrecognised.count) unrecognised, "
        + "in \(String(format: "%.2f", seconds)) s"
    ]
    let shown = 20
    for path in unrecognised.prefix(shown) {
      lines.append("  unrecognised, left on the server: \(path)")
    }
    if unrecognised.count > shown {
      lines.append("  … and \(unrecognised.count - shown) more unrecognised")
    }
    for failure in failures { lines.append("  failed: \(failure)") }
    return lines.joined(separator: "\n")
  }
}
