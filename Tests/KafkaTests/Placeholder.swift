import Testing

@testable import Kafka

@Test func moduleBuilds() { #expect(Bool(true)) }
