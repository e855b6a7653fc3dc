import Foundation

/// One run of the `lmsds` binary built beside the tests: exit status and both streams.
struct LmsdsProcess {
  let status: Int32
  let standardOutput: String
  let standardError: String

  var output: String { standardOutput + standardError }

  static var binary: String {
    if let path = ProcessInfo.processInfo.environment["LMSDS_BINARY"] { return path }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("lmsds").path
  }

  /// Runs `lmsds arguments…` in `directory`, with `environment` added to the inherited one.
  static func run(
    _ arguments: [String], in directory: String, environment: [String: String] = [:],
    timeout: TimeInterval = 60
  ) throws -> LmsdsProcess {
    let tag = UUID().uuidString.prefix(8)
    let outputPath = directory + "/.stdout-\(tag)"
    let errorPath = directory + "/.stderr-\(tag)"
    _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
    defer {
      try? FileManager.default.removeItem(atPath: outputPath)
      try? FileManager.default.removeItem(atPath: errorPath)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var inherited = ProcessInfo.processInfo.environment
    // A developer's database settings must not redirect the loads these tests compare.
    for name in ["DATABASE_URL", "DB_ENGINE", "DB_SERVER", "CSV_PATH", "LOG_LEVEL"] {
      inherited[name] = nil
    }
    process.environment = inherited.merging(environment) { $1 }
    // Files, not pipes: a chatty run cannot block on a pipe nobody reads yet.
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      throw PullTestError("lmsds \(arguments.first ?? "") did not end within \(timeout) s")
    }
    return LmsdsProcess(
      status: process.terminationStatus,
      standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
      standardError: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
  }
}
