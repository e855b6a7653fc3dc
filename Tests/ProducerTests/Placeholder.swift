import Testing

@testable import Producer

@Test func moduleBuilds() { #expect(Bool(true)) }
