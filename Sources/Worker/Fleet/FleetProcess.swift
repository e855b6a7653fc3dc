import Foundation
import Logging
import ServiceLifecycle
import TaskBridge

/// Runs a worker as the whole process: a service group in which SIGTERM is a graceful stop
/// (finish the file in flight within the worker's shutdown timeout, commit, leave the group) and
/// SIGINT a cancellation (roll back now, leave the group), blocking the calling (main) thread
/// until the worker is done.
public enum FleetProcess {
  /// - Parameter services: run alongside the worker (the status endpoint); they are stopped after
  ///   the worker, so health and metrics answer while it drains.
  public static func run(
    _ worker: FleetWorker, alongside services: [any Service] = [], logger: Logger
  ) -> Result<FleetExit, any Error> {
    // A companion that fails (the status port taken) stops the worker gracefully, and the
    // process reports that failure instead of a plain shutdown.
    let companions = services.map {
      ServiceGroupConfiguration.ServiceConfiguration(
        service: $0, failureTerminationBehavior: .gracefullyShutdownGroup)
    }
    // The group stops services in reverse order: the worker, listed last, stops first.
    let workerService = ServiceGroupConfiguration.ServiceConfiguration(
      service: worker, successTerminationBehavior: .gracefullyShutdownGroup,
      failureTerminationBehavior: .gracefullyShutdownGroup)
    var configuration = ServiceGroupConfiguration(
      services: companions + [workerService], gracefulShutdownSignals: [.sigterm],
      cancellationSignals: [.sigint], logger: logger)
    // A backstop only: the worker bounds its own stop (`ShutdownWatchdog`).
    configuration.maximumGracefulShutdownDuration =
      worker.configuration.shutdownTimeout + worker.configuration.abandonGrace + .seconds(5)
    let group = ServiceGroup(configuration: configuration)
    let result = BlockingResult<Void>.waiting { try await group.run() }
    if let exit = worker.exit {
      if case .failure(let error) = result, exit.reason == .shutdown { return .failure(error) }
      return .success(exit)
    }
    switch result {
    case .success: return .success(FleetExit(reason: .shutdown))
    case .failure(let error): return .failure(error)
    }
  }
}
