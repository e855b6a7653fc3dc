extension Duration {
  /// Milliseconds for librdkafka's `int timeout_ms` parameters (clamped, never negative).
  var milliseconds: Int32 {
    let (seconds, attoseconds) = components
    let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
    return Int32(clamping: max(0, ms))
  }
}

/// A point in time after which an operation gives up.
struct Deadline {
  private let end: ContinuousClock.Instant

  init(after duration: Duration) { end = .now + duration }

  var remaining: Duration { max(.zero, end - .now) }
  var hasPassed: Bool { ContinuousClock.now >= end }
}
