import Foundation
import Logging
import ServiceLifecycle

/// Runs services as the whole process: a service group that turns SIGTERM and SIGINT into a
/// graceful shutdown, blocking the calling (main) thread until every service has stopped.
enum ServiceRunner {
  static func run(
    _ services: [any Service], logger: Logger, shutdownTimeout: Duration = .seconds(10)
  ) -> Result<Void, any Error> {
    var configuration = ServiceGroupConfiguration(
      services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    configuration.maximumGracefulShutdownDuration = shutdownTimeout
    configuration.maximumCancellationDuration = .seconds(5)
    let group = ServiceGroup(configuration: configuration)
    let finished = FinishedGroup()
    Task {
      do {
        try await group.run()
        finished.finish(.success(()))
      } catch {
        finished.finish(.failure(error))
      }
    }
    return finished.wait()
  }
}

/// The group's result, handed from its task to the main thread that waits for it.
private final class FinishedGroup: @unchecked Sendable {
  // `@unchecked Sendable`: `result` is written once under `lock` before `done` is signalled, and
  // read only after.
  private let lock = NSLock()
  private let done = DispatchSemaphore(value: 0)
  private var result: Result<Void, any Error>?

  func finish(_ value: Result<Void, any Error>) {
    lock.lock()
    result = value
    lock.unlock()
    done.signal()
  }

  func wait() -> Result<Void, any Error> {
    done.wait()
    lock.lock()
    defer { lock.unlock() }
    return result ?? .success(())
  }
}
