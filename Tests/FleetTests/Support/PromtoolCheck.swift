import Foundation

/// `promtool check metrics` (Debian's `prometheus` package, which scripts/test.sh installs).
enum PromtoolCheck {
  /// What promtool reports about `text` (empty when it finds nothing); nil when promtool is not
  /// installed, which CI does not allow.
  static func run(_ text: String) throws -> String? {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") else {
      if FleetEnvironment.isCI {
        throw FleetTestError("promtool missing: apt-get install prometheus")
      }
      return nil
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
    process.arguments = ["check", "metrics"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = output
    try process.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let trimmed = report.trimmingCharacters(in: .whitespacesAndNewlines)
    return process.terminationStatus == 0
      ? trimmed : "status \(process.terminationStatus): \(trimmed)"
  }
}
