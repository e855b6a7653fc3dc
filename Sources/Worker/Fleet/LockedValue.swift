import Foundation

/// A value read and written from several threads.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
  // `@unchecked Sendable`: `stored` is only touched under `lock`.
  private let lock = NSLock()
  private var stored: Value
  init(_ value: Value) { stored = value }
  var value: Value {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
  /// Changes the value in place and returns what `body` returns, in one step.
  func update<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&stored)
  }

  /// Stores `value` and returns what was there before, in one step.
  func exchange(_ value: Value) -> Value {
    lock.lock()
    defer { lock.unlock() }
    let old = stored
    stored = value
    return old
  }
  func set(_ value: Value) {
    lock.lock()
    stored = value
    lock.unlock()
  }
}
