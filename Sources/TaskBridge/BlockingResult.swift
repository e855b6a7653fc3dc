import Foundation

/// A result handed from a task to a thread that waits for it.
public final class BlockingResult<Value: Sendable>: @unchecked Sendable {
  // `@unchecked Sendable`: `result` is written once under `lock` before `done` is signalled,
  // and read only after.
  private let lock = NSLock()
  private let done = DispatchSemaphore(value: 0)
  private var result: Result<Value, any Error>?

  public init() {}

  public func finish(_ value: Result<Value, any Error>) {
    lock.lock()
    result = value
    lock.unlock()
    done.signal()
  }

  /// Runs `body` as a task and blocks the calling thread until it ends. The task runs on the
  /// cooperative pool, which the waiting thread (main, or one of our own) is not part of, so the
  /// wait cannot starve it.
  public static func waiting(for body: sending @escaping () async throws -> Value) -> Result<
    Value, any Error
  > {
    let outcome = BlockingResult<Value>()
    Task {
      do {
        outcome.finish(.success(try await body()))
      } catch {
        outcome.finish(.failure(error))
      }
    }
    return outcome.wait()
  }

  public func wait() -> Result<Value, any Error> {
    done.wait()
    lock.lock()
    defer { lock.unlock() }
    return result!
  }
}
