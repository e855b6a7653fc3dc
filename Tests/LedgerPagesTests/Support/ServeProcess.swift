import Foundation
import LMSDSTestSupport

/// A real `lmsds serve` the test started on a free port, its output in a log file.
final class ServeProcess {
  let process = Process()
  let logPath: String
  private(set) var baseURL = ""

  /// Starts `lmsds serve --http-port 0` against `databaseURL` (given as DATABASE_URL, so that a
  /// password stays out of the argument list), with `arguments` after, and waits for the port it
  /// logs.
  init(databaseURL: String, logDirectory: URL, arguments: [String] = []) throws {
    logPath = logDirectory.appendingPathComponent("serve.log").path
    FileManager.default.createFile(atPath: logPath, contents: nil)
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    process.executableURL = URL(fileURLWithPath: LmsdsRun.binary)
    process.arguments = ["serve", "--http-port", "0"] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["DATABASE_URL"] = databaseURL
    process.environment = environment
    process.standardOutput = log
    process.standardError = log
    try process.run()
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      if let match = self.log.firstMatch(of: #/listening on (http://127\.0\.0\.1:\d+)/#) {
        baseURL = String(match.output.1)
        return
      }
      guard process.isRunning else { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    process.terminate()
    throw TestFailure("lmsds serve did not start listening:\n\(self.log)")
  }

  var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// SIGTERM, then the exit status once it has stopped (nil if it did not within 15 s).
  func stop() -> Int32? {
    guard process.isRunning else { return process.terminationStatus }
    process.terminate()
    let deadline = Date().addingTimeInterval(15)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    return process.isRunning ? nil : process.terminationStatus
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}
