import Testing
import UDM

@testable import Worker

@Suite struct HeaderPlansTests {
  static let users = ResourceSpec.spec(for: .users)
  static let sections = ResourceSpec.spec(for: .sections)
  static let usersHeader = CSVFile.usersHeader.split(separator: ",").map(String.init)

  /// A header seen again gets the plan a fresh build gives; the columns' order is the header's.
  @Test func aRepeatedHeaderGetsTheSamePlan() throws {
    let plans = HeaderPlans()
    let first = try plans.plan(header: Self.usersHeader, resource: Self.users)
    let again = try plans.plan(header: Self.usersHeader, resource: Self.users)
    let fresh = try HeaderPlan(header: Self.usersHeader, resource: Self.users)
    #expect(again.layout == first.layout)
    #expect(again.layout == fresh.layout)
    #expect(again.data.map(\.index) == fresh.data.map(\.index))
    let reordered = try plans.plan(header: Self.usersHeader.reversed(), resource: Self.users)
    #expect(reordered.sourceSystemIdentifierIndex == Self.usersHeader.count - 1)
  }

  /// A plan belongs to its resource: the users' header is not a sections file's, whatever the
  /// session planned before.
  @Test func aPlanIsKeptPerResource() throws {
    let plans = HeaderPlans()
    let sectionsHeader = CSVFile.sectionsHeader.split(separator: ",").map(String.init)
    _ = try plans.plan(header: sectionsHeader, resource: Self.sections)
    let users = try plans.plan(header: Self.usersHeader, resource: Self.users)
    #expect(users.layout.resource == .users)
    #expect(throws: FileRejection.self) {
      try plans.plan(header: sectionsHeader, resource: Self.users)
    }
  }

  /// A refused header is refused every time and never kept; headers past the cache's limit, or
  /// longer than it keeps, are still planned but not kept.
  @Test func refusalsAndHeadersPastTheLimitArePlannedButNotKept() throws {
    let plans = HeaderPlans()
    let repeated = Self.usersHeader + ["Name"]
    for _ in 0..<2 {
      #expect(throws: FileRejection.self) { try plans.plan(header: repeated, resource: Self.users) }
    }
    #expect(plans.count == 0)
    let long = Self.usersHeader + [String(repeating: "x", count: HeaderPlans.longestKept)]
    #expect(try plans.plan(header: long, resource: Self.users).headerCount == long.count)
    #expect(plans.count == 0)
    for extra in 0..<(HeaderPlans.limit + 5) {
      let plan = try plans.plan(header: Self.usersHeader + ["Extra\(extra)"], resource: Self.users)
      #expect(plan.headerCount == Self.usersHeader.count + 1)
    }
    #expect(plans.count == HeaderPlans.limit)
  }
}
