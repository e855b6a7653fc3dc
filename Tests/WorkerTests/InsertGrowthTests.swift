import Messages
import Testing

@testable import Worker

@Suite struct InsertGrowthTests {
  /// Notes `counts` in turn and returns after which of them the statistics were refreshed.
  private func refreshes(_ counts: [Int], stored: Int, analyze: String? = "ANALYZE t") -> [Int] {
    var growth = InsertGrowth()
    var asked = 0
    var refreshed: [Int] = []
    for (index, count) in counts.enumerated() {
      growth.note(
        count, into: .users, analyze: analyze,
        storedRows: {
          asked += 1
          return stored
        },
        execute: { _ in refreshed.append(index) })
    }
    #expect(asked <= 1, "the estimate is read once per table")
    return refreshed
  }

  @Test func anEmptyTableIsRefreshedEachTimeItDoubles() {
    #expect(refreshes([100, 50, 50, 100, 200], stored: 0) == [0, 2, 4])
  }

  @Test func aFewRowsIntoALargeTableLeaveItsStatisticsAlone() {
    #expect(refreshes([10_000, 10_000], stored: 1_000_000).isEmpty)
  }

  @Test func aLargeTableIsRefreshedOnceTheSessionDoublesIt() {
    #expect(refreshes([600_000, 600_000, 1_000_000], stored: 1_000_000) == [1])
  }

  @Test func fewerThanTheMinimumNeverRefresh() {
    #expect(refreshes([10, 20, 30], stored: 0).isEmpty)
  }

  @Test func withoutAnAnalyzeNothingRunsAndNothingIsAsked() {
    var asked = false
    var growth = InsertGrowth()
    growth.note(
      1_000, into: .users, analyze: nil,
      storedRows: {
        asked = true
        return 0
      },
      execute: { _ in Issue.record("no statement to run") })
    #expect(!asked)
  }
}
