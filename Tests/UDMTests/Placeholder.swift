import Testing

@testable import UDM

@Test func moduleBuilds() { #expect(Bool(true)) }
