import CSQLite
import Foundation

/// Interrupts a SQLite connection's running statement (`sqlite3_interrupt`, safe from another
/// thread while the connection is open). The connection invalidates it before closing, so a late
/// call never touches a closed handle.
final class SQLiteInterrupter: StatementCanceller, @unchecked Sendable {
  // `@unchecked Sendable`: `handle` is only read or cleared under `lock`.
  private let lock = NSLock()
  private var handle: OpaquePointer?
  /// Also read by the connection's bulk writer, between its one-row statements.
  let request = CancelRequest()

  init(_ handle: OpaquePointer) { self.handle = handle }

  func invalidate() {
    lock.lock()
    handle = nil
    lock.unlock()
  }

  func cancelRunningStatement() {
    request.set()
    lock.lock()
    defer { lock.unlock() }
    if let handle { sqlite3_interrupt(handle) }
  }
}
