import Foundation
import Logging
import ServiceLifecycle
import TaskBridge

/// Runs services as the whole process: a service group that turns SIGTERM and SIGINT into a
/// graceful shutdown, blocking the calling (main) thread until every service has stopped.
enum ServiceRunner {
  static func run(
    _ services: [any Service], logger: Logger, shutdownTimeout: Duration = .seconds(10)
  ) -> Result<Void, any Error> {
    var configuration = ServiceGroupConfiguration(
      services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    configuration.maximumGracefulShutdownDuration = shutdownTimeout
    let group = ServiceGroup(configuration: configuration)
    return BlockingResult<Void>.waiting { try await group.run() }
  }
}
