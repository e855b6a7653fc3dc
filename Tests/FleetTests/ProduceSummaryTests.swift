import Foundation
import LMSDSTestSupport
import Store
import Testing

/// `lmsds produce` against the broker: a root with nothing to publish ends with status 3 and its
/// likely mistake; `--summary-format json` is one object whose count equals the ledger's.
@Suite(
  .serialized, .timeLimit(.minutes(2)),
  .enabled(
    if: FleetEnvironment.shouldRun,
    "needs LMSDS_TEST_KAFKA_BROKERS (scripts/test.sh)"))
struct ProduceSummaryTests {
  func produce(_ arguments: [String], _ directory: String) throws -> (Int32, String) {
    let brokers = try FleetEnvironment.require()
    let topic = "lmsds-produce-\(UUID().uuidString.prefix(8).lowercased())"
    return try ProcessGroup().runToEnd(
      "produce",
      [
        "produce", "--brokers", brokers, "--topic", topic, "--partitions", "1",
        "--database", "sqlite:\(directory)/lms.sqlite", "--settle-seconds", "0",
        "--kafka-option", "log_level=3",
      ] + arguments, timeout: .seconds(90))
  }

  func scratch() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lmsds-produce-\(UUID().uuidString.prefix(8))"
    ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func aCsvpathOneLevelTooHighEndsWithThree() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let parent = URL(fileURLWithPath: sampleRoot).deletingLastPathComponent().path
    let (status, log) = try produce(["--csvpath", parent], directory)
    #expect(status == 3, "\(log)")
    #expect(log.contains("BestLMS looks like a provider root: use --sources \(parent)"), "\(log)")
  }

  @Test func theJSONSummaryCountsWhatTheLedgerRecords() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (status, log) = try produce(
      ["--csvpath", sampleRoot, "--summary-format", "json"], directory)
    #expect(status == 0, "\(log)")
    let line = try #require(log.split(separator: "\n").first { $0.hasPrefix("{") }, "\(log)")
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    let ledger = try Ledger(connection: SQLiteConnection(path: "\(directory)/lms.sqlite"))
      .entries()
    #expect(summary["published"] as? Int == ledger.filter { $0.outcome == .published }.count)
    #expect((summary["published"] as? Int ?? 0) > 0)
    #expect(summary["exit_status"] as? Int == 0)
  }
}
