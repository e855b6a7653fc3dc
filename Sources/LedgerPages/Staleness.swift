import Foundation

/// When the overview calls data stale, and the clock it measures against (injected, so tests
/// need no waiting).
public struct Staleness: Sendable {
  /// A nightly export lands once a day; a couple of hours' slack keeps a late run from being
  /// flagged before the next one is due.
  public static let defaultHours: Double = 26

  public let threshold: TimeInterval
  let now: @Sendable () -> Date

  public init(
    hours: Double = Staleness.defaultHours, now: @escaping @Sendable () -> Date = Date.init
  ) {
    self.threshold = hours * 3600
    self.now = now
  }

  var thresholdText: String {
    let hours = threshold / 3600
    return hours == hours.rounded() ? "\(Int(hours)) h" : "\(hours) h"
  }
}
