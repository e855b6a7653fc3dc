import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The write end of the pipe the signal handler wakes the notice's thread through: a signal
/// handler may do little more than write(2) (async-signal-safe), and it cannot capture context.
nonisolated(unsafe) private var wakeDescriptor: Int32 = -1

/// What `load` says when stopped by SIGINT or SIGTERM: how many files it committed (each with its
/// ledger row); the transaction open at that moment rolls back, and its files load on the next
/// run. Then it ends with 128 + the signal, as the default action would.
final class InterruptNotice: @unchecked Sendable {
  private let lock = NSLock()
  private var files = 0
  private var rows = 0

  init() {
    var descriptors: [Int32] = [-1, -1]
    guard pipe(&descriptors) == 0 else { return }
    wakeDescriptor = descriptors[1]
    let readEnd = descriptors[0]
    Thread { [self] in
      var number: Int32 = 0
      guard read(readEnd, &number, MemoryLayout<Int32>.size) == MemoryLayout<Int32>.size else {
        return
      }
      stop(number)
    }.start()
    var signals = sigset_t()
    sigemptyset(&signals)
    for number in [SIGINT, SIGTERM] {
      signal(number) { received in
        var value = received
        _ = write(wakeDescriptor, &value, MemoryLayout<Int32>.size)
      }
      sigaddset(&signals, number)
    }
    // A process may start with these blocked (a parent that spawned it from a thread blocking
    // them): unblocked here, on the main thread, the handler is reached.
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
  }

  /// Called after each commit with the run's totals so far.
  func committed(files: Int, rows: Int) {
    lock.lock()
    (self.files, self.rows) = (files, rows)
    lock.unlock()
  }

  private func stop(_ number: Int32) {
    // Held until the end: a commit finishing meanwhile cannot report itself, so the count
    // printed is the one the process ends with.
    lock.lock()
    FileHandle.standardError.write(
      Data(
        ("\nlmsds: interrupted: \(files) files committed (\(rows) rows), each with its ledger "
          + "row; the transaction open now rolls back, and its files load on the next run\n").utf8))
    // Not exit(): its clean-up would run beside a main thread still inside a transaction.
    _exit(128 + number)
  }
}
