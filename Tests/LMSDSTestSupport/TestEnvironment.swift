import Foundation

/// The repository's root, found from this file, so that tests read the real samples, migrations
/// and docs wherever the checkout is.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// The bundled sample tree.
public let sampleRoot = repositoryRoot.appendingPathComponent("samples/BestLMS").path

public enum TestEnvironment {
  /// Set on CI, where a missing server or tool must fail a suite rather than skip it.
  public static var isCI: Bool {
    ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false
  }
}

/// Why a test's own machinery (a process it started, a file it read) failed.
public struct TestFailure: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
