import Foundation

/// One `lmsds` run to its end: its exit status and what it wrote on each stream.
public struct LmsdsRun: Sendable {
  public let status: Int32
  public let standardOutput: String
  public let standardError: String

  public var output: String { standardOutput + standardError }

  /// The `lmsds` built beside the test bundle (the test targets that run it depend on the
  /// executable, so that `swift test` builds it), or the debug build when the bundle is elsewhere.
  public static var binary: String {
    if let path = ProcessInfo.processInfo.environment["LMSDS_BINARY"] { return path }
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("lmsds").path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    return repositoryRoot.appendingPathComponent(".build/debug/lmsds").path
  }

  /// Settings a developer's shell may hold that would change which database a run picks.
  public static let settingVariables = [
    "DATABASE_URL", "DB_ENGINE", "DB_SERVER", "DB_PORT", "DB_NAME", "DB_USERNAME", "DB_PASSWORD",
    "USE_INTEGRATED_SECURITY", "ENCRYPT_SQL_CONNECTION", "TRUST_SERVER_CERTIFICATE", "CSV_PATH",
    "LOG_LEVEL", "KAFKA_BROKERS", "KAFKA_OPTIONS_FILE", "LMSDS_ARCHIVE",
  ]

  /// Runs `lmsds arguments…` in `directory` with only `environment` for its settings; sends
  /// SIGINT once `interrupt`, given the standard error so far, says so (it is asked every 20 ms
  /// while the run goes on).
  public static func run(
    _ arguments: [String], in directory: String, environment: [String: String] = [:],
    timeout: TimeInterval = 120, interrupt: ((String) -> Bool)? = nil
  ) throws -> LmsdsRun {
    let tag = UUID().uuidString.prefix(8)
    let outputPath = directory + "/.lmsds-stdout-\(tag)"
    let errorPath = directory + "/.lmsds-stderr-\(tag)"
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
    for name in settingVariables { inherited[name] = nil }
    process.environment = inherited.merging(environment) { $1 }
    // Files, not pipes: a chatty run cannot block on a full pipe nobody reads yet.
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    var interrupted = false
    while process.isRunning, Date() < deadline {
      if !interrupted, let interrupt,
        interrupt((try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
      {
        process.interrupt()
        interrupted = true
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      throw TestFailure("lmsds \(arguments.first ?? "") did not end within \(timeout) s")
    }
    return LmsdsRun(
      status: process.terminationStatus,
      standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
      standardError: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
  }
}
