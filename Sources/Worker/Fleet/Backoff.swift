/// Exponential backoff: each failure doubles the wait, up to `cap`; a success starts over.
///
/// A plain value so the retry decisions can be tested without clocks or I/O.
public struct Backoff: Sendable, Hashable {
  public let initial: Duration
  public let cap: Duration
  public private(set) var failures = 0

  public init(initial: Duration = .milliseconds(200), cap: Duration = .seconds(10)) {
    self.initial = initial
    self.cap = max(initial, cap)
  }

  /// Records a failure and returns how long to wait before the next attempt.
  public mutating func nextDelay() -> Duration {
    failures += 1
    // 2^(failures-1) × initial, without overflowing once the cap is reached.
    var delay = initial
    for _ in 1..<failures {
      delay = delay * 2
      if delay >= cap { return cap }
    }
    return min(delay, cap)
  }

  public mutating func reset() { failures = 0 }
}
