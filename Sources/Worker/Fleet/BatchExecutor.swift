import Foundation

/// Runs one batch at a time on its own thread, so the consume loop keeps polling — and so keeps
/// its group membership (`max.poll.interval.ms`) — however long a file takes to apply.
final class BatchExecutor: @unchecked Sendable {
  // `@unchecked Sendable`: `finished` is only touched under `lock`; `runner` is used only on `queue`.
  private let queue = DispatchQueue(label: "lmsds.fleet.apply")
  private let runner: FleetBatchRunner
  private let lock = NSLock()
  private var finished: BatchOutcome?
  /// Tells the consume loop a batch is done, so that it takes the next one now rather than after
  /// its poll times out (up to 100 ms between transactions, a sixth of a worker's time between
  /// its 1,000-message batches in the fleet bench).
  private let wake: @Sendable () -> Void

  init(runner: FleetBatchRunner, wake: @escaping @Sendable () -> Void = {}) {
    self.runner = runner
    self.wake = wake
  }

  func start(_ batch: [PartitionTracker.Stamped]) {
    queue.async { [self] in
      let outcome = runner.run(batch)
      lock.lock()
      finished = outcome
      lock.unlock()
      wake()
    }
  }

  /// The outcome of the batch started last, once it is finished (then only once).
  func takeOutcome() -> BatchOutcome? {
    lock.lock()
    defer { lock.unlock() }
    let outcome = finished
    finished = nil
    return outcome
  }
}
