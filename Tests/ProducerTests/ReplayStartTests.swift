import Foundation
import Testing

@testable import Producer

@Suite struct ReplayStartTests {
  @Test(arguments: [
    ("2024-05-01", 1_714_521_600.0),
    ("2024-05-01 02:03:04", 1_714_528_984.0),
    ("2024-05-01 02:03", 1_714_528_980.0),
    ("2024-05-01T02:03:04", 1_714_528_984.0),
    ("2024-05-01 02:03:04.250", 1_714_528_984.25),
    ("2024-05-01T02:03:04Z", 1_714_528_984.0),
    ("2024-05-01T04:03:04+02:00", 1_714_528_984.0),
    ("2024-05-01T02:03:04.5Z", 1_714_528_984.5),
  ])
  func parsesISO8601AndPlainUTC(text: String, seconds: Double) throws {
    let date = try #require(ReplayStart.parse(text))
    #expect(abs(date.timeIntervalSince1970 - seconds) < 0.001)
  }

  @Test(arguments: [
    "", "yesterday", "2024-13-01", "2024-02-30", "2024-05-01 25:00", "2024-05-01 02:03:04x",
    "05/01/2024",
  ])
  func rejectsWhatIsNotATime(text: String) {
    #expect(ReplayStart.parse(text) == nil)
  }
}
