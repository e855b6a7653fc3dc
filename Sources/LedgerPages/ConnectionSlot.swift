import Foundation
import Store

/// Keeps one idle database session between page views, so a page does not pay for a new
/// connection each time. A session is used by one page at a time: a page takes it out, and puts
/// it back only when its queries succeeded (after a failure, the next page connects afresh —
/// that is how the pages ride out a database restart). Pages that arrive together each get their
/// own session; all but one are closed afterwards.
final class ConnectionSlot: @unchecked Sendable {
  // `@unchecked Sendable`: `idle` is only touched under `lock`, and a session taken out belongs
  // to the one page that took it until it is returned.
  private let lock = NSLock()
  private var idle: (any SQLConnection)?
  private let connect: @Sendable () throws -> any SQLConnection

  init(connect: @escaping @Sendable () throws -> any SQLConnection) { self.connect = connect }

  func take() throws -> any SQLConnection {
    lock.lock()
    let taken = idle
    idle = nil
    lock.unlock()
    return try taken ?? connect()
  }

  func giveBack(_ connection: any SQLConnection) {
    lock.lock()
    defer { lock.unlock() }
    if idle == nil { idle = connection }
  }
}
