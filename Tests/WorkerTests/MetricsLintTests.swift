import Foundation
import Kafka
import LMSDSTestSupport
import Messages
import Prometheus
import Store
import Testing

@testable import Worker

/// What `/metrics` serves passes Prometheus' own lint: help text on every metric, the build and
/// process metrics beside ours.
struct MetricsLintTests {
  /// The scrape of a worker that recorded one file of each outcome, composed as the endpoint does.
  func scrape() -> String {
    let registry = PrometheusCollectorRegistry()
    let metrics = FleetMetrics(factory: PrometheusMetricsFactory(registry: registry))
    for outcome in [FileOutcome.loaded, .rejected, .superseded, .duplicate] {
      var counts = RowCounts()
      counts.rowsRead = 3
      counts.inserted = 3
      let entry = LedgerEntry(
        provider: "best", resource: .users, relativePath: "users/2024-05-01-02-00-00.csv",
        sha256: .repeating("a"), size: 10,
        nameTimestamp: NameTimestamp(fileName: "2024-05-01-02-00-00.csv")!, scopeKey: "",
        outcome: outcome, counts: counts, startedAt: "2024-05-01 02:00:00")
      metrics.committed(ApplyResult(entry: entry, applyDuration: .milliseconds(4)))
    }
    metrics.inFlight(0)
    metrics.unapplied(0)
    var parked = ParkedPartitions(retryInterval: .seconds(30))
    let partition = TopicPartition("lms.files", 2)
    _ = parked.park(
      partition, at: 5,
      message: KafkaMessage(
        topic: "lms.files", partition: 2, offset: 5, key: Array("moodle".utf8), value: []),
      reason: ParkReason(.noSourceRoot, "no source root"), now: .now)
    metrics.parked(parked.entries[partition]!, true)
    var buffer: [UInt8] = []
    registry.emit(into: &buffer)
    return MetricsExposition.body(
      registryText: String(decoding: buffer, as: UTF8.self), version: "1.2.3")
  }

  @Test func everyMetricNameHasHelpText() {
    #expect(Set(FleetMetrics.help.keys) == Set(FleetMetrics.Name.all))
    #expect(FleetMetrics.help.values.allSatisfy { !$0.isEmpty })
  }

  @Test func everyTypeLineFollowsItsHelpLine() {
    let lines = scrape().split(separator: "\n").map(String.init)
    let typed = lines.filter { $0.hasPrefix("# TYPE ") }
    #expect(typed.count >= FleetMetrics.Name.all.count)
    for (index, line) in lines.enumerated() where line.hasPrefix("# TYPE ") {
      let name = line.split(separator: " ")[2]
      #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(name) "), "\(line)")
    }
    #expect(lines.contains("lmsds_build_info{version=\"1.2.3\"} 1"))
    #if os(Linux)
      for name in [
        "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
        "process_max_fds", "process_start_time_seconds",
      ] {
        let value = lines.first { $0.hasPrefix(name + " ") }.flatMap {
          Double($0.split(separator: " ")[1])
        }
        #expect((value ?? 0) > 0, "\(name)")
      }
    #endif
  }

  @Test(.enabled(if: PromtoolCheck.path != nil || TestEnvironment.isCI))
  func promtoolFindsNothingToReport() throws {
    let report = try #require(try PromtoolCheck.run(scrape()))
    #expect(report.isEmpty, "\(report)")
  }
}
