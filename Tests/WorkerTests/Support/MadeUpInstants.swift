/// A suite that tests timing rules with instants it makes up, `seconds` after its `start`: no
/// clock is read during a test and nothing sleeps.
protocol MadeUpInstants {
  var start: ContinuousClock.Instant { get }
}

extension MadeUpInstants {
  func at(_ seconds: Double) -> ContinuousClock.Instant {
    start + .milliseconds(Int64(seconds * 1000))
  }
}
