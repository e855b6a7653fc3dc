import CLibPQ

/// Sends PostgreSQL a cancel request for one session's running statement (`PQcancel`, which
/// libpq documents as safe to call from any thread).
final class LibPQCanceller: StatementCanceller, @unchecked Sendable {
  // `@unchecked Sendable`: `PQcancel` may be called from any thread on the same object; the
  // object is freed only when the last reference goes.
  private let pointer: OpaquePointer
  private let request: CancelRequest

  init(_ pointer: OpaquePointer, request: CancelRequest) {
    self.pointer = pointer
    self.request = request
  }

  deinit { PQfreeCancel(pointer) }

  func cancelRunningStatement() {
    request.set()
    var error = [CChar](repeating: 0, count: 256)
    // A failed request leaves the statement running; the caller's own deadline still holds.
    _ = PQcancel(pointer, &error, Int32(error.count))
  }
}
