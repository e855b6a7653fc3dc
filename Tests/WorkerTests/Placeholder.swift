import Testing

@testable import Worker

@Test func moduleBuilds() { #expect(Bool(true)) }
