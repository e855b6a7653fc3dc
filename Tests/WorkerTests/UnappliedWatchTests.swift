import Foundation
import Logging
import Messages
import Prometheus
import Store
import Testing

@testable import Worker

/// Log lines kept for a test to read.
private final class CapturedLog: LogHandler, @unchecked Sendable {
  // `@unchecked Sendable`: `lines` is only touched under `lock`.
  private let lock = NSLock()
  private var lines: [String] = []
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    lock.withLock {
      lines.append("\(event.level) \(event.message) \(fields.joined(separator: " "))")
    }
  }

  var warnings: [String] { lock.withLock { lines.filter { $0.hasPrefix("warning ") } } }
}

private struct NoConnection: Error {}

@Suite struct UnappliedWatchTests {
  static let kinds = TestDatabase.available.filter(\.setBased)

  private func record(
    _ outcome: FileOutcome, _ name: String, at time: Date, in database: TestDatabase
  ) throws {
    try Ledger(connection: database.connection).record(
      LedgerEntry(
        provider: "p", resource: .users, relativePath: "users/\(name).csv",
        sha256: SHA256Digest(hex: String(repeating: name, count: 64))!, size: 1,
        nameTimestamp: NameTimestamp("2021-01-01 00:00:00")!, scopeKey: "", outcome: outcome,
        startedAt: CanonicalTime.text(time)))
  }

  @Test(arguments: kinds)
  func countsPublishedFilesWithoutAnOutcomePastTheThreshold(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let now = Date()
    let old = now.addingTimeInterval(-7200)
    let oldest = now.addingTimeInterval(-9000)
    try record(.published, "a", at: old, in: database)
    try record(.published, "b", at: old, in: database)
    try record(.loaded, "b", at: old, in: database)
    // Published again recently (a repair): the fleet may simply not have got to it yet.
    try record(.published, "c", at: old, in: database)
    try record(.published, "c", at: now, in: database)
    try record(.published, "d", at: now, in: database)
    try record(.published, "e", at: oldest, in: database)
    try record(.rejected, "f", at: old, in: database)

    let count = try Ledger(connection: database.connection)
      .unappliedPublishedCount(olderThan: now.addingTimeInterval(-3600))
    #expect(count.files == 2)
    #expect(count.oldestPublishedAt?.hasPrefix(CanonicalTime.text(oldest).prefix(19)) == true)
    let listed = try Ledger(connection: database.connection)
      .unappliedPublished(olderThan: now.addingTimeInterval(-3600))
    #expect(listed.count == count.files)
  }

  @Test func theWatchSetsItsGaugeAndWarnsWhenTheCountChanges() throws {
    let database = try TestDatabase(.sqlite)
    let registry = PrometheusCollectorRegistry()
    let log = CapturedLog()
    let watch = UnappliedWatch(
      threshold: 3600, logger: Logger(label: "test") { _ in log },
      metrics: FleetMetrics(factory: PrometheusMetricsFactory(registry: registry)),
      connect: { throw NoConnection() })
    func gauge() -> Double? {
      PrometheusText(registry).value(FleetMetrics.Name.unappliedFiles, [:])
    }
    try watch.check(database.connection)
    #expect(gauge() == 0)
    #expect(log.warnings.isEmpty)

    let old = Date().addingTimeInterval(-7200)
    try record(.published, "a", at: old, in: database)
    try record(.published, "b", at: old, in: database)
    try watch.check(database.connection)
    try watch.check(database.connection)
    #expect(gauge() == 2)
    #expect(log.warnings.count == 1, "the same count is not repeated every minute")
    #expect(log.warnings.first?.contains("files=2") == true)
    #expect(log.warnings.first?.contains("run lmsds produce") == true)

    try record(.loaded, "a", at: Date(), in: database)
    try watch.check(database.connection)
    #expect(gauge() == 1)
    #expect(log.warnings.count == 2)
    try record(.loaded, "b", at: Date(), in: database)
    try watch.check(database.connection)
    #expect(gauge() == 0)
    #expect(log.warnings.count == 2)
  }
}
