import Foundation
import Logging
import ServiceLifecycle

/// Runs a worker as the whole process: a service group that turns SIGTERM and SIGINT into a
/// graceful shutdown, blocking the calling (main) thread until the worker is done.
public enum FleetProcess {
  /// - Parameter shutdownTimeout: how long a graceful shutdown may take before the work in flight
  ///   is abandoned (it is then not committed; the next owner applies it again).
  public static func run(
    _ worker: FleetWorker, logger: Logger, shutdownTimeout: Duration = .seconds(30)
  )
    -> Result<FleetExit, any Error>
  {
    var configuration = ServiceGroupConfiguration(
      services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    configuration.maximumGracefulShutdownDuration = shutdownTimeout
    configuration.maximumCancellationDuration = .seconds(10)
    let group = ServiceGroup(configuration: configuration)
    let finished = BlockingResult<Void>()
    Task {
      do {
        try await group.run()
        finished.finish(.success(()))
      } catch {
        finished.finish(.failure(error))
      }
    }
    let result = finished.wait()
    if let exit = worker.exit { return .success(exit) }
    switch result {
    case .success: return .success(FleetExit(reason: .shutdown))
    case .failure(let error): return .failure(error)
    }
  }
}
