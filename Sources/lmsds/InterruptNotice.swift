import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What `load` says when stopped by SIGINT or SIGTERM: how many files it committed (each with its
/// ledger row); the transaction open at that moment rolls back, and its files load on the next
/// run. Then it ends with 128 + the signal, as the default action would.
final class InterruptNotice: @unchecked Sendable {
  private let lock = NSLock()
  private var files = 0
  private var rows = 0
  private var sources: [any DispatchSourceSignal] = []

  init() {
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [self] in stop(number) }
      source.resume()
      sources.append(source)
    }
  }

  /// Called after each commit with the run's totals so far.
  func committed(files: Int, rows: Int) {
    lock.lock()
    (self.files, self.rows) = (files, rows)
    lock.unlock()
  }

  private func stop(_ number: Int32) {
    lock.lock()
    let (files, rows) = (self.files, self.rows)
    lock.unlock()
    FileHandle.standardError.write(
      Data(
        ("\nlmsds: interrupted: \(files) files committed (\(rows) rows), each with its ledger "
          + "row; the transaction open now rolls back, and its files load on the next run\n").utf8))
    exit(128 + number)
  }
}
