import Testing

@testable import Messages

@Test func moduleBuilds() { #expect(Bool(true)) }
