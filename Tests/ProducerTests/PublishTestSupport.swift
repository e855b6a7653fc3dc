import ExtractorTree
import Foundation
import Kafka
import Logging
import Messages
import Store

@testable import Producer

/// A migrated SQLite ledger in a scratch directory, removed when the test ends.
final class ScratchLedger {
  let directory: URL
  let connection: any SQLConnection
  var ledger: Ledger { Ledger(connection: connection) }

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lmsds-publish-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    connection = try SQLiteConnection(path: directory.appendingPathComponent("lms.sqlite").path)
    try MigrationRunner(dialect: .sqlite).migrate(connection)
  }

  deinit { try? FileManager.default.removeItem(at: directory) }

  /// Writes a row as a worker would, for a file of `root` (its real digest and size).
  func record(
    _ outcome: FileOutcome, _ relative: String, in tree: TemporaryTree,
    provider: ProviderName = "p",
    startedAt: Date = Date(), sha256: SHA256Digest? = nil
  ) throws {
    let hashed = try FileHasher.sha256(path: tree.path + "/" + relative)
    let location = ResourceLocation(relativePath: relative)!
    try ledger.record(
      LedgerEntry(
        provider: provider, resource: location.resource, relativePath: relative,
        sha256: sha256 ?? hashed.digest, size: hashed.size, nameTimestamp: location.nameTimestamp,
        scopeKey: location.scopeKey, outcome: outcome, startedAt: CanonicalTime.text(startedAt)))
  }

  func outcomes() throws -> [(String, FileOutcome)] {
    try ledger.entries().map { ($0.relativePath, $0.outcome) }
  }
}

/// Records what it is asked to publish; fails from the `failAt`-th call on (1-based) if set.
final class RecordingPublisher: FilePublishing, @unchecked Sendable {
  // `@unchecked Sendable`: the mutable state is only touched under `lock`.
  private let lock = NSLock()
  private var sent: [FileMessage] = []
  private var calls = 0
  private let failAt: Int?

  init(failAt: Int? = nil) { self.failAt = failAt }

  func publish(_ message: FileMessage) async throws -> PublishReceipt {
    try lock.withLock {
      calls += 1
      if let failAt, calls >= failAt { throw PublishFailure() }
      sent.append(message)
      return PublishReceipt(topic: "t", partition: 0, offset: Offset(Int64(sent.count - 1)))
    }
  }

  var messages: [FileMessage] { lock.withLock { sent } }
  var paths: [String] { messages.map(\.relativePath) }
}

struct PublishFailure: Error, CustomStringConvertible {
  var description: String { "broker unreachable (test)" }
}

/// Client options that keep Kafka tests fast and quiet.
func testKafkaConfiguration(_ servers: String) -> KafkaConfiguration {
  var configuration = KafkaConfiguration(
    bootstrapServers: servers, clientID: "lmsds-producer-tests")
  configuration["log_level"] = "3"
  configuration["topic.metadata.refresh.interval.ms"] = "1000"
  return configuration
}

func uniqueTopic(_ prefix: String) -> TopicName {
  TopicName("\(prefix)-\(UUID().uuidString.prefix(8).lowercased())")
}

/// A logger that drops everything: the tests look at results, not log lines.
let quietLogger = Logger(label: "lmsds-tests") { _ in SwiftLogNoOpLogHandler() }

/// Four files of one provider, as the scan finds them.
let fourFiles = [
  "sections/2021-01-02-00-00-00.csv",
  "users/2021-01-02-00-00-00.csv",
  "users/2021-01-01-00-00-00.csv",
  "section=a/assignments/2021-01-01-00-00-00.csv",
]
/// `fourFiles` in apply order.
let fourFilesInApplyOrder = [
  "users/2021-01-01-00-00-00.csv",
  "users/2021-01-02-00-00-00.csv",
  "sections/2021-01-02-00-00-00.csv",
  "section=a/assignments/2021-01-01-00-00-00.csv",
]

/// A tree holding `files` (by default `fourFiles`), each with a header and a distinct row.
func makeTree(files: [String] = fourFiles) throws -> TemporaryTree {
  let tree = try TemporaryTree()
  for (index, path) in files.enumerated() { try tree.write(path, "h\n\(index)\n") }
  return tree
}
