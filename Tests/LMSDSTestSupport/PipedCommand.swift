import Foundation

/// A short command fed `input` on its standard input, run to its end.
public enum PipedCommand {
  /// Runs `arguments` (the first an executable's path) in `directory`; the status and what it
  /// wrote on both streams together.
  public static func run(_ arguments: [String], input: String, in directory: URL? = nil) throws
    -> (status: Int32, output: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    if let directory { process.currentDirectoryURL = directory }
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stdout
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }
}

/// `promtool check metrics` (Debian's `prometheus` package, which scripts/test.sh installs).
public enum PromtoolCheck {
  public static var path: String? {
    ["/usr/bin/promtool", "/usr/local/bin/promtool"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// What promtool reports about `text` (empty when it finds nothing); nil when promtool is not
  /// installed, which CI does not allow.
  public static func run(_ text: String) throws -> String? {
    guard let path else {
      if TestEnvironment.isCI { throw TestFailure("promtool missing: apt-get install prometheus") }
      return nil
    }
    let result = try PipedCommand.run([path, "check", "metrics"], input: text)
    let trimmed = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    return result.status == 0 ? trimmed : "status \(result.status): \(trimmed)"
  }
}
