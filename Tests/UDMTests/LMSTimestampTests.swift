import Testing

@testable import UDM

@Suite struct LMSTimestampTests {
  @Test(arguments: [
    // The spec's real-world examples.
    ("2021-03-09T16:44:33-06:00", "2021-03-09 22:44:33"),
    ("2021-09-02T16:38:34.895Z", "2021-09-02 16:38:34.895000"),
    ("9/3/2020 1:02", "2020-09-03 01:02:00"),
    (" 2021-05-01 00:00:00", "2021-05-01 00:00:00"),
    ("2020-01-01 23:59:59.9999996", "2020-01-02 00:00:00"),
    // Date alone, one-digit month/day, whitespace rule.
    ("2021-5-1", "2021-05-01 00:00:00"),
    ("12/31/2021", "2021-12-31 00:00:00"),
    ("\t2021-05-01  \t 7:05 ", "2021-05-01 07:05:00"),
    ("2021-05-01t07:05:09", "2021-05-01 07:05:09"),
    // Fractions: 1–9 digits, half-up rounding on the seventh digit.
    ("2021-05-01 00:00:00.5", "2021-05-01 00:00:00.500000"),
    ("2021-05-01 00:00:00.000001", "2021-05-01 00:00:00.000001"),
    ("2021-05-01 00:00:00.0000004", "2021-05-01 00:00:00"),
    ("2021-05-01 00:00:00.0000005", "2021-05-01 00:00:00.000001"),
    ("2021-05-01 00:00:00.123456789", "2021-05-01 00:00:00.123457"),
    ("2021-05-01 00:00:00.000000", "2021-05-01 00:00:00"),
    ("2021-12-31 23:59:59.99999951Z", "2022-01-01 00:00:00"),
    // Zones, every spelling, with and without a space, across boundaries.
    ("2021-03-09 16:44:33 Z", "2021-03-09 16:44:33"),
    ("2021-03-09 16:44:33  \t Z", "2021-03-09 16:44:33"),
    ("2021-03-09T16:44:33+05:30", "2021-03-09 11:14:33"),
    ("2021-03-09T16:44:33+0530", "2021-03-09 11:14:33"),
    ("2021-03-09T16:44:33 +05", "2021-03-09 11:44:33"),
    ("2021-03-09T16:44-00:00", "2021-03-09 16:44:00"),
    ("2021-12-31T20:00:00-05:00", "2022-01-01 01:00:00"),
    ("2022-01-01T01:00:00+02:00", "2021-12-31 23:00:00"),
    ("2020-02-28T23:30:00-01:00", "2020-02-29 00:30:00"),
    ("2021-02-28T23:30:00-01:00", "2021-03-01 00:30:00"),
    ("2021-03-01 00:15:00.25+00:30", "2021-02-28 23:45:00.250000"),
    ("3/1/2020 0:15 +01:00", "2020-02-29 23:15:00"),
    ("2020-02-29", "2020-02-29 00:00:00"),
    ("2000-02-29", "2000-02-29 00:00:00"),
  ])
  func accepted(_ input: String, _ expected: String) throws {
    let value = try #require(LMSTimestamp(input), "\(input)")
    #expect(value.canonicalText == expected)
    #expect(value.withCanonicalUTF8 { Array($0) } == Array(expected.utf8))
  }

  @Test(arguments: [
    "", " ", "2021-02-29", "1900-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "2021-01-00",
    "21-01-01", "2021-001-01", "2021/01/01", "13/1/2021", "1/32/2021", "1/1/21",
    "2021-01-01 24:00", "2021-01-01 12:60", "2021-01-01 12:00:60", "2021-01-01 1:2",
    "2021-01-01 123:00", "2021-01-01 12", "2021-01-01 12:00:00.", "2021-01-01 12:00:00.1234567890",
    "2021-01-01 12:00.5", "9/3/2020 1:02:03.5", "2021-01-01T", "2021-01-01Z", "2021-01-01 Z",
    "2021-01-01 12:00+5", "2021-01-01 12:00+05:3", "2021-01-01 12:00+24:00",
    "2021-01-01 12:00+05:60", "2021-01-01 12:00+05300", "2021-01-01 12:00ZZ",
    "2021-01-01 12:00 UTC", "2021-01-01  T12:00", "２０２１-01-01", "2021-01-01 12:00:00 x",
    "2021-01-01\t12:00:00.123456789 +05:00 and more text after it", "0000-01-01",
    "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59.9999999",
  ])
  func rejected(_ input: String) {
    #expect(LMSTimestamp(input) == nil, "\(input)")
  }

  @Test func extremesStayInRange() throws {
    #expect(LMSTimestamp("0001-01-01T00:00:00Z")?.canonicalText == "0001-01-01 00:00:00")
    #expect(LMSTimestamp("9999-12-31T23:59:59.999999")?.microsecond == 999_999)
  }

  @Test func parsesBytesInPlace() throws {
    let bytes = Array("x2021-03-09T16:44:33-06:00y".utf8)
    let value = bytes.withUnsafeBytes {
      LMSTimestamp(parsing: UnsafeRawBufferPointer(rebasing: $0[1..<26]))
    }
    #expect(value?.description == "2021-03-09 22:44:33")
  }

  @Test func comparesInTimeOrder() throws {
    let values = [
      "2021-01-01 00:00:00.5", "2020-12-31 23:59:59", "2021-01-01", "2021-01-01 00:00:01",
    ]
    .compactMap(LMSTimestamp.init)
    #expect(
      values.sorted().map(\.canonicalText) == [
        "2020-12-31 23:59:59", "2021-01-01 00:00:00", "2021-01-01 00:00:00.500000",
        "2021-01-01 00:00:01",
      ])
    #expect(LMSTimestamp("2021-03-09T16:44:33-06:00") == LMSTimestamp("2021-03-09 22:44:33"))
  }

  @Test func memberwiseValidation() {
    #expect(LMSTimestamp(year: 2021, month: 2, day: 29) == nil)
    #expect(LMSTimestamp(year: 2024, month: 2, day: 29, microsecond: 1_000_000) == nil)
    #expect(
      LMSTimestamp(year: 2024, month: 2, day: 29, hour: 23)?.canonicalText == "2024-02-29 23:00:00")
  }

  @Test func unixMicroseconds() {
    #expect(LMSTimestamp("1970-01-01")?.microsecondsSinceUnixEpoch == 0)
    #expect(LMSTimestamp("1969-12-31 23:59:59.5")?.microsecondsSinceUnixEpoch == -500_000)
    #expect(LMSTimestamp("2000-03-01")?.microsecondsSinceUnixEpoch == 951_868_800_000_000)
  }

  @Test func calendarRoundTripsEveryDay() {
    // Every day from 1600 to 2400 (leap rules of 100 and 400 included) converts both ways.
    let first = CivilCalendar.daysSinceEpoch(year: 1600, month: 1, day: 1)
    let last = CivilCalendar.daysSinceEpoch(year: 2400, month: 12, day: 31)
    var expected = (year: 1600, month: 1, day: 1)
    var mismatches = 0
    for days in first...last {
      let date = CivilCalendar.date(daysSinceEpoch: days)
      if date != expected
        || CivilCalendar.daysSinceEpoch(year: date.year, month: date.month, day: date.day) != days
      {
        mismatches += 1
      }
      expected.day += 1
      if expected.day > CivilCalendar.daysIn(month: expected.month, year: expected.year) {
        expected.day = 1
        expected.month += 1
        if expected.month > 12 {
          expected.month = 1
          expected.year += 1
        }
      }
    }
    #expect(mismatches == 0)
  }
}
