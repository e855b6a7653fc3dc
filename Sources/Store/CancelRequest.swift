import Foundation

/// Set by a canceller on another thread, read by the session's own bulk loads: rows streamed
/// between statements (COPY data, one INSERT a row) are out of reach of a server-side cancel,
/// so the writer stops itself. Cleared when the session begins its next transaction.
final class CancelRequest: @unchecked Sendable {
  // `@unchecked Sendable`: `requested` is only touched under `lock`.
  private let lock = NSLock()
  private var requested = false

  func set() {
    lock.lock()
    requested = true
    lock.unlock()
  }

  func clear() {
    lock.lock()
    requested = false
    lock.unlock()
  }

  var isSet: Bool {
    lock.lock()
    defer { lock.unlock() }
    return requested
  }
}
