import Foundation
import LMSDSTestSupport
import Testing

/// What the process tests need: a Kafka-protocol broker (Tansu, from scripts/start-tansu.sh via
/// scripts/test.sh), librdkafka 2.16 for the processes that talk to it, PostgreSQL's server
/// binaries, and the `lmsds` binary `swift test` built.
///
/// Without them the suites are skipped on a developer machine, and fail in CI (`CI` set).
enum FleetEnvironment {
  static let environment = ProcessInfo.processInfo.environment

  static var brokers: String? { environment["LMSDS_TEST_KAFKA_BROKERS"] }
  static var kafkaLibraryPath: String? { environment["LMSDS_KAFKA_LIBRARY_PATH"] }

  static var postgresBin: String? {
    if let bin = environment["LMSDS_POSTGRES_BIN"] { return bin }
    let base = "/usr/lib/postgresql"
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
    guard let newest = versions.compactMap({ Int($0) }).max() else { return nil }
    let bin = "\(base)/\(newest)/bin"
    return FileManager.default.isExecutableFile(atPath: "\(bin)/initdb") ? bin : nil
  }

  static var available: Bool { brokers != nil && postgresBin != nil }

  /// Run when the servers are there, and always in CI (where their absence is a failure).
  static var shouldRun: Bool { available || TestEnvironment.isCI }

  /// Fails the test when something is missing (reached only in CI or with servers half there).
  static func require() throws -> String {
    guard let brokers else {
      throw TestFailure(
        "LMSDS_TEST_KAFKA_BROKERS is not set: run through scripts/test.sh (starts Tansu)")
    }
    guard postgresBin != nil else {
      throw TestFailure("no PostgreSQL server binaries (apt-get install postgresql)")
    }
    guard FileManager.default.isExecutableFile(atPath: LmsdsRun.binary) else {
      throw TestFailure("lmsds binary not found at \(LmsdsRun.binary)")
    }
    return brokers
  }
}

/// Polls `condition` every `interval` until it holds; false after `timeout`.
func eventually(
  timeout: Duration, interval: Duration = .milliseconds(200), _ condition: () throws -> Bool
) rethrows -> Bool {
  let end = ContinuousClock.now + timeout
  while true {
    if try condition() { return true }
    if ContinuousClock.now >= end { return false }
    Thread.sleep(
      forTimeInterval: Double(interval.components.attoseconds) / 1e18
        + Double(interval.components.seconds))
  }
}

/// `eventually` for conditions that await (an HTTP request).
func eventuallyAsync(
  timeout: Duration, interval: Duration = .milliseconds(200),
  _ condition: () async throws -> Bool
) async throws -> Bool {
  let end = ContinuousClock.now + timeout
  while true {
    if (try? await condition()) == true { return true }
    if ContinuousClock.now >= end { return false }
    try await Task.sleep(for: interval)
  }
}
