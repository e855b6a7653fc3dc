import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Store

/// `lmsds work` as a long-running service: joins the consumer group and applies messages until
/// it is told to stop (graceful shutdown: the batch in flight is finished and committed, then the
/// group is left), stays idle for `exitWhenIdle`, or meets a failure it cannot ride out. A
/// message it cannot apply yet parks only its partition (`ParkedPartitions`).
///
/// The consume loop and the apply thread are plain threads: librdkafka's poll and the database
/// drivers block, and must not hold the few threads of Swift's cooperative pool.
public final class FleetWorker: Service, Sendable {
  public let configuration: FleetConfiguration
  private let options: ApplyOptions
  private let logger: Logger
  private let connect: @Sendable () throws -> any SQLConnection
  private let control = FleetControl()
  private let watchdog: ShutdownWatchdog
  private let exitProcess: @Sendable () -> Void
  /// What the health endpoints report.
  public let health = FleetHealth()

  /// - Parameters:
  ///   - connect: opens a database session; called again after an outage broke one.
  ///   - exitProcess: ends the process when a stop overran its bound (see `ShutdownWatchdog`).
  public init(
    configuration: FleetConfiguration, options: ApplyOptions, logger: Logger,
    exitProcess: @escaping @Sendable () -> Void = { _exit(1) },
    connect: @escaping @Sendable () throws -> any SQLConnection
  ) {
    self.configuration = configuration
    self.options = options
    self.logger = logger
    self.connect = connect
    self.exitProcess = exitProcess
    self.watchdog = ShutdownWatchdog(grace: configuration.abandonGrace, logger: logger)
  }

  /// Runs until the loop ends; throws when the worker could not start or had to stop
  /// (`FleetWorkerStopped`), so a service group treats that as a failure.
  public func run() async throws {
    let exit = try await withTaskCancellationHandler {
      try await withGracefulShutdownHandler {
        try await runLoop()
      } onGracefulShutdown: { [self] in
        logger.info(
          "stopping: finishing the file in flight",
          metadata: ["timeout": "\(configuration.shutdownTimeout)"])
        stop()
      }
    } onCancel: { [self] in
      abandon()
    }
    if case .stopped(let reason) = exit.reason {
      throw FleetWorkerStopped(exit: exit, reason: reason)
    }
  }

  /// The exit of a finished `run`, for the command's status.
  public var exit: FleetExit? { finishedExit.value }

  /// Stops as on SIGTERM: no new file is started, the file in flight is finished (or, past the
  /// shutdown timeout, rolled back), what is done is committed, and the group is left.
  public func stop() {
    health.markStopping()
    control.requestStop()
    watchdog.start(
      abandon: { [control] in control.requestAbandon() }, exitProcess: exitProcess,
      after: configuration.shutdownTimeout)
  }

  /// Stops as on SIGINT: the open transaction is rolled back at once (a file the database is
  /// still busy with ends the process after the grace period), then the group is left.
  public func abandon() {
    health.markStopping()
    control.requestAbandon()
    watchdog.start(
      abandon: { [control] in control.requestAbandon() }, exitProcess: exitProcess, after: .zero)
  }

  private let finishedExit = LockedValue<FleetExit?>(nil)

  private func runLoop() async throws -> FleetExit {
    let loop = ConsumeLoop(
      configuration: configuration, logger: logger, control: control, health: health
    ) { [configuration, options, logger, connect, control, health] deadLetters in
      FleetBatchRunner(
        configuration: configuration, options: options, logger: logger, connect: connect,
        deadLetters: deadLetters, control: control, health: health)
    }
    let sweep = DeadLetterSweep(configuration: configuration, logger: logger, connect: connect)
    defer { watchdog.markFinished() }
    let result: Result<FleetExit, any Error> = await withCheckedContinuation { continuation in
      let thread = Thread {
        sweep.start()
        let result = Result { try loop.run() }
        // A dead letter the sweep is sending may still have its acknowledgement recorded.
        sweep.stop(waiting: .seconds(6))
        continuation.resume(returning: result)
      }
      thread.name = "lmsds-fleet-consume"
      thread.start()
    }
    let exit = try result.get()
    finishedExit.set(exit)
    return exit
  }
}

/// The worker met a failure that is not an outage, or ended idle with partitions parked.
public struct FleetWorkerStopped: Error, CustomStringConvertible {
  public let exit: FleetExit
  public let reason: String
  public var description: String { "worker stopped: \(reason)" }
}
