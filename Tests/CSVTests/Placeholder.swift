import Testing

@testable import CSV

@Test func moduleBuilds() { #expect(Bool(true)) }
