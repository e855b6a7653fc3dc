import Foundation
import LMSDSTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// One `lmsds` process a test started; its standard output and error go to a log file.
final class LmsdsProcess {
  let name: String
  let logPath: String
  private let process: SpawnedProcess

  init(name: String, arguments: [String], logDirectory: String) throws {
    self.name = name
    logPath = "\(logDirectory)/\(name).log"
    var environment = ProcessInfo.processInfo.environment
    // Debian's librdkafka cannot talk to Tansu; the 2.16 copy from the test tools can.
    if let library = FleetEnvironment.kafkaLibraryPath {
      environment["LD_LIBRARY_PATH"] =
        library + (environment["LD_LIBRARY_PATH"].map { ":" + $0 } ?? "")
    }
    environment["DATABASE_URL"] = nil
    process = try SpawnedProcess(
      [LmsdsRun.binary] + arguments, environment: environment, outputPath: logPath)
  }

  var pid: Int32 { process.pid }
  var isRunning: Bool { process.isRunning }
  var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  func signal(_ number: Int32) { process.signal(number) }

  /// The exit status once it ended within `timeout` (128 + signal after a death by signal); nil
  /// if still running.
  func waitForExit(timeout: Duration) -> Int32? { process.wait(timeout: timeout) }
}

/// Every process a test started, killed when the test ends however it ends.
final class ProcessGroup {
  let logDirectory: String
  private(set) var processes: [LmsdsProcess] = []

  init() throws {
    logDirectory =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "lmsds-fleet-logs-\(UUID().uuidString.prefix(8))"
      ).path
    try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
  }

  deinit {
    for process in processes where process.isRunning {
      process.signal(SIGKILL)
      _ = process.waitForExit(timeout: .seconds(5))
    }
    try? FileManager.default.removeItem(atPath: logDirectory)
  }

  @discardableResult
  func start(_ name: String, _ arguments: [String]) throws -> LmsdsProcess {
    let process = try LmsdsProcess(name: name, arguments: arguments, logDirectory: logDirectory)
    processes.append(process)
    return process
  }

  /// Runs a command to its end (e.g. `lmsds load`) and returns its status and output.
  func runToEnd(_ name: String, _ arguments: [String], timeout: Duration = .seconds(120)) throws
    -> (Int32, String)
  {
    let process = try start(name, arguments)
    guard let status = process.waitForExit(timeout: timeout) else {
      process.signal(SIGKILL)
      throw TestFailure("\(name) did not finish within \(timeout): \(process.log)")
    }
    return (status, process.log)
  }

  /// The last lines of every process's log, for a failing test's message.
  var logTails: String {
    processes.map { process in
      let lines = process.log.split(separator: "\n").suffix(15).joined(separator: "\n")
      return "--- \(process.name) (pid \(process.pid)):\n\(lines)"
    }.joined(separator: "\n")
  }
}
