import Testing

@testable import Settings

@Test func moduleBuilds() { #expect(Bool(true)) }
