import Foundation
import Kafka

/// Helpers shared by the Kafka test suites.
enum TestSupport {
  static func uniqueTopic(_ prefix: String) -> TopicName {
    TopicName("\(prefix)-\(UUID().uuidString.prefix(8).lowercased())")
  }

  static func uniqueGroup(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
  }

  /// Client options that keep tests fast and quiet.
  static func configuration(_ bootstrapServers: String) -> KafkaConfiguration {
    var configuration = KafkaConfiguration(
      bootstrapServers: bootstrapServers, clientID: "lmsds-tests")
    configuration["log_level"] = "3"
    configuration["topic.metadata.refresh.interval.ms"] = "1000"
    return configuration
  }

  static func consumerConfiguration(_ bootstrapServers: String, extra: [String: String] = [:])
    -> KafkaConfiguration
  {
    var configuration = configuration(bootstrapServers)
    configuration["session.timeout.ms"] = "3000"
    configuration["heartbeat.interval.ms"] = "200"
    configuration["fetch.wait.max.ms"] = "100"
    for (key, value) in extra { configuration[key] = value }
    return configuration
  }

  /// Polls until `count` messages arrived or `timeout` passed.
  static func poll(_ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(20)) throws
    -> [KafkaMessage]
  {
    let end = ContinuousClock.now + timeout
    var messages: [KafkaMessage] = []
    while messages.count < count, ContinuousClock.now < end {
      if let message = try consumer.poll(timeout: .milliseconds(100)) { messages.append(message) }
    }
    return messages
  }

  /// Polls every consumer (serving their rebalance callbacks) until `condition` holds or `timeout` passed.
  static func pollUntil(
    _ consumers: [KafkaConsumer], timeout: Duration = .seconds(30), _ condition: () throws -> Bool
  ) throws -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
      for consumer in consumers { _ = try consumer.poll(timeout: .milliseconds(50)) }
      if try condition() { return true }
    }
    return false
  }
}

/// Collects rebalance events reported to an `onRebalance` handler.
final class EventLog: @unchecked Sendable {
  // `@unchecked Sendable`: `events` is only touched under `lock`.
  private let lock = NSLock()
  private var events: [RebalanceEvent] = []

  func record(_ event: RebalanceEvent) {
    lock.lock()
    events.append(event)
    lock.unlock()
  }

  var all: [RebalanceEvent] {
    lock.lock()
    defer { lock.unlock() }
    return events
  }
}
