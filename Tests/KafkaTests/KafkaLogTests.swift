import Foundation
import Testing

@testable import Kafka

/// librdkafka's own lines reach the route instead of stderr, and producer-type handles never see
/// consumer settings (which made librdkafka print CONFWARN once per handle).
///
/// Serialized: the route is process-wide; each test tells its lines apart by a unique client id.
@Suite(.serialized) struct KafkaLogTests {
  @Test func consumerSettingsNeverReachAProducerHandle() {
    var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1", clientID: "x")
    configuration["session.timeout.ms"] = "6000"
    configuration["auto.offset.reset"] = "earliest"
    configuration["message.timeout.ms"] = "1000"
    let stripped = configuration.withoutConsumerOnlyOptions()
    #expect(stripped["session.timeout.ms"] == nil)
    #expect(stripped["auto.offset.reset"] == nil)
    #expect(stripped["message.timeout.ms"] == "1000")
    #expect(stripped.bootstrapServers == "127.0.0.1:1")
  }

  @Test func librdkafkaLinesGoToTheRouteAndAProducerWarnsAboutNoConsumerSetting() throws {
    let lines = LineCollector()
    KafkaLog.route { lines.append($0) }
    defer { KafkaLog.route(to: nil) }
    let clientID = "log-test-\(UUID().uuidString.prefix(8))"
    // Nothing listens on port 1: librdkafka logs the refused connection (facility FAIL).
    var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:1", clientID: clientID)
    configuration["session.timeout.ms"] = "6000"
    configuration["heartbeat.interval.ms"] = "500"
    configuration["reconnect.backoff.ms"] = "50"
    let producer = try KafkaProducer(configuration: configuration)
    defer { producer.close() }
    let admin = try KafkaAdmin(configuration: configuration)
    defer { admin.close() }

    let end = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < end,
      !lines.all.contains(where: { $0.client.hasPrefix(clientID) && $0.facility == "FAIL" })
    {
      _ = try? admin.partitionCount(of: TopicName("nothing"), timeout: .milliseconds(200))
    }
    let ours = lines.all.filter { $0.client.hasPrefix(clientID) }
    let failure = ours.first { $0.facility == "FAIL" }
    #expect(failure != nil, "\(ours)")
    #expect((failure?.level ?? 7) <= 4)
    #expect(failure?.message.contains("127.0.0.1:1") == true, "\(String(describing: failure))")
    #expect(!ours.contains { $0.facility == "CONFWARN" }, "\(ours)")
  }
}

/// Lines delivered on librdkafka's threads.
private final class LineCollector: @unchecked Sendable {
  // `@unchecked Sendable`: `lines` is only touched under `lock`.
  private let lock = NSLock()
  private var lines: [KafkaLog.Line] = []

  func append(_ line: KafkaLog.Line) {
    lock.lock()
    lines.append(line)
    lock.unlock()
  }

  var all: [KafkaLog.Line] {
    lock.lock()
    defer { lock.unlock() }
    return lines
  }
}
