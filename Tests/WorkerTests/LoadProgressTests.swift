import Testing

@testable import Worker

/// The figures of the progress line: totals, rates and the time left at the rate so far.
struct LoadProgressTests {
  @Test func timeLeftFollowsTheRateSoFar() {
    var progress = LoadProgress(total: 40)
    for _ in 0..<10 { progress.add(rows: 100) }
    // 10 files in 5 s: 30 more take 15 s.
    #expect(progress.secondsLeft(elapsedSeconds: 5) == 15)
    #expect(
      progress.text(elapsedSeconds: 5)
        == "10 of 40 files, 1000 rows, 200 rows/s, elapsed 0:05, about 0:15 left")
  }

  @Test func withoutATotalThereIsNoEstimate() {
    var progress = LoadProgress(total: nil)
    progress.add(rows: 7)
    #expect(progress.secondsLeft(elapsedSeconds: 2) == nil)
    #expect(progress.text(elapsedSeconds: 2) == "1 files, 7 rows, 4 rows/s, elapsed 0:02")
  }

  @Test func anUnderestimatedTotalNeverShowsMoreDoneThanExpected() {
    var progress = LoadProgress(total: 1)
    progress.add(rows: 1)
    progress.add(rows: 1)
    #expect(progress.text(elapsedSeconds: 3725).hasPrefix("2 of 2 files"))
    #expect(progress.text(elapsedSeconds: 3725).hasSuffix("elapsed 1:02:05"))
  }
}
