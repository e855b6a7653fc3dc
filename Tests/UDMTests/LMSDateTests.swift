import Testing

@testable import UDM

@Suite struct LMSDateTests {
  @Test(arguments: [
    ("2021-05-01", "2021-05-01"),
    ("9/3/2020", "2020-09-03"),
    (" 2021-5-1 ", "2021-05-01"),
    ("2020-02-29 13:45", "2020-02-29"),
    // The written date is kept: no zone conversion, no rounding carry.
    ("2021-12-31T20:00:00-05:00", "2021-12-31"),
    ("2021-01-01T01:00:00+02:00", "2021-01-01"),
    ("2020-01-01 23:59:59.9999996", "2020-01-01"),
  ])
  func accepted(_ input: String, _ expected: String) throws {
    let value = try #require(LMSDate(input), "\(input)")
    #expect(value.canonicalText == expected)
    #expect(value.withCanonicalUTF8 { Array($0) } == Array(expected.utf8))
  }

  @Test(arguments: [
    "", "2021-02-29", "2021-02-28 25:00", "2021-02-28 12:00+25:00", "2021-02-28 12:00 x",
    "2/29/2019",
  ])
  func rejected(_ input: String) {
    #expect(LMSDate(input) == nil, "\(input)")
  }

  @Test func ordersAndCounts() {
    #expect(LMSDate("2021-01-02")! > LMSDate("2020-12-31")!)
    #expect(LMSDate("1970-01-02")?.daysSinceUnixEpoch == 1)
    #expect(LMSDate(year: 2023, month: 2, day: 29) == nil)
  }
}
