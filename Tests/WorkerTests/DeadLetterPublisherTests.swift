import Kafka
import Testing

@testable import Worker

/// The dead-letter publisher makes its producer at the first dead letter (the mock-cluster fleet
/// tests send through one); what it cannot put off is telling a bad option at start.
@Suite struct DeadLetterPublisherTests {
  @Test func aBadOptionStopsTheWorkerAtStartNotAtTheFirstDeadLetter() throws {
    var configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9")
    configuration.set("no.such.option", "1")
    #expect(throws: KafkaError.self) {
      _ = try DeadLetterPublisher(configuration: configuration, topic: "lms.files.dlq")
    }
    configuration = KafkaConfiguration(bootstrapServers: "127.0.0.1:9")
    configuration.set("message.timeout.ms", "not a number")
    #expect(throws: KafkaError.self) {
      _ = try DeadLetterPublisher(configuration: configuration, topic: "lms.files.dlq")
    }
    // Nothing is made, so nothing to close; a closed publisher that never sent stays quiet.
    let idle = try DeadLetterPublisher(
      configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:9"), topic: "lms.files.dlq")
    idle.close()
  }
}
