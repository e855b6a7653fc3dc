import Foundation
import LMSDSTestSupport

/// Debian's Chromium, headless: the DOM of a page after it loaded, or a screenshot of it.
/// `LMSDS_TEST_CHROMIUM` names the binary (scripts/test.sh sets it when Chromium is installed).
struct HeadlessChromium {
  let binary: String
  /// A profile of its own, so runs neither share state nor touch a user's.
  let profile: URL

  static var configuredPath: String? {
    ProcessInfo.processInfo.environment["LMSDS_TEST_CHROMIUM"].flatMap {
      FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil
    }
  }

  func dumpDOM(_ url: String, windowSize: String = "1280,1000") throws -> String {
    try run(["--window-size=\(windowSize)", "--dump-dom", url])
  }

  func screenshot(_ url: String, windowSize: String, to path: String) throws {
    _ = try run(["--window-size=\(windowSize)", "--screenshot=\(path)", url])
  }

  private func run(_ arguments: [String]) throws -> String {
    let output = profile.deletingLastPathComponent().appendingPathComponent(
      "chromium-\(UUID().uuidString).out")
    FileManager.default.createFile(atPath: output.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: output) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    // As root (CI, these machines) Chromium runs only without its sandbox.
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--force-device-scale-factor=1", "--user-data-dir=\(profile.path)",
      ] + arguments
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(90)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
      process.terminate()
      throw TestFailure("chromium did not finish within 90 s: \(arguments)")
    }
    guard process.terminationStatus == 0 else {
      throw TestFailure("chromium exited \(process.terminationStatus): \(arguments)")
    }
    return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
  }
}
