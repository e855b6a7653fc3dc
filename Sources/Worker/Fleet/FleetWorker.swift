import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Store

/// `lmsds work` as a long-running service: joins the consumer group and applies messages until
/// it is told to stop (graceful shutdown: the batch in flight is finished and committed, then the
/// group is left), stays idle for `exitWhenIdle`, or meets a message it must not go past.
///
/// The consume loop and the apply thread are plain threads: librdkafka's poll and the database
/// drivers block, and must not hold the few threads of Swift's cooperative pool.
public final class FleetWorker: Service, Sendable {
  public let configuration: FleetConfiguration
  private let options: ApplyOptions
  private let logger: Logger
  private let connect: @Sendable () throws -> any SQLConnection
  private let control = FleetControl()

  /// - Parameter connect: opens a database session; called again after an outage broke one.
  public init(
    configuration: FleetConfiguration, options: ApplyOptions, logger: Logger,
    connect: @escaping @Sendable () throws -> any SQLConnection
  ) {
    self.configuration = configuration
    self.options = options
    self.logger = logger
    self.connect = connect
  }

  /// Runs until the loop ends; throws when the worker could not start or had to stop
  /// (`FleetWorkerStopped`), so a service group treats that as a failure.
  public func run() async throws {
    let exit = try await withTaskCancellationHandler {
      try await withGracefulShutdownHandler {
        try await runLoop()
      } onGracefulShutdown: { [control, logger] in
        logger.info("stopping: finishing the batch in flight")
        control.requestStop()
      }
    } onCancel: { [control] in
      control.requestAbandon()
    }
    if case .stopped(let reason) = exit.reason {
      throw FleetWorkerStopped(exit: exit, reason: reason)
    }
  }

  /// The exit of a finished `run`, for the command's status.
  public var exit: FleetExit? { finishedExit.value }

  /// Stops as on SIGTERM (for embedding and tests).
  public func stop() { control.requestStop() }

  private let finishedExit = LockedValue<FleetExit?>(nil)

  private func runLoop() async throws -> FleetExit {
    let loop = ConsumeLoop(
      configuration: configuration, logger: logger, control: control
    ) { [configuration, options, logger, connect, control] deadLetters in
      FleetBatchRunner(
        configuration: configuration, options: options, logger: logger, connect: connect,
        deadLetters: deadLetters, control: control)
    }
    let result: Result<FleetExit, any Error> = await withCheckedContinuation { continuation in
      let thread = Thread {
        let result = Result { try loop.run() }
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

/// The worker met a message it must not go past, or a failure that is not an outage.
public struct FleetWorkerStopped: Error, CustomStringConvertible {
  public let exit: FleetExit
  public let reason: String
  public var description: String { "worker stopped: \(reason)" }
}

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
  func set(_ value: Value) {
    lock.lock()
    stored = value
    lock.unlock()
  }
}
