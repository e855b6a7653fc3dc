import Testing

@testable import Store

@Test func moduleBuilds() { #expect(Bool(true)) }
