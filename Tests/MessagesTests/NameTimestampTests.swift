import Foundation
import Testing

@testable import Messages

@Suite struct NameTimestampTests {
  @Test func parsesAFileName() throws {
    let value = try #require(NameTimestamp(fileName: "2020-09-17-15-04-23.csv"))
    #expect(value.year == 2020)
    #expect(value.month == 9)
    #expect(value.day == 17)
    #expect(value.hour == 15)
    #expect(value.minute == 4)
    #expect(value.second == 23)
    #expect(value.sqlText == "2020-09-17 15:04:23")
    #expect(value.description == "2020-09-17 15:04:23")
    #expect(NameTimestamp(fileName: "2020-09-17-15-04-23.CSV") == value)
  }

  @Test func parsesTheLedgerForms() {
    let expected = NameTimestamp(year: 2020, month: 9, day: 17, hour: 15, minute: 4, second: 23)
    #expect(NameTimestamp("2020-09-17 15:04:23") == expected)
    #expect(NameTimestamp("2020-09-17T15:04:23") == expected)
    #expect(NameTimestamp("2020-09-17-15-04-23") == expected)
    #expect(NameTimestamp("2020-09-17 15:04:23.5") == nil)
  }

  @Test func fileNamesTakeDashesOnly() {
    #expect(NameTimestamp(fileName: "2020-09-17 15-04-23.csv") == nil)
    #expect(NameTimestamp(fileName: "2020-09-17T15:04:23.csv") == nil)
  }

  @Test func calendarChecks() {
    #expect(NameTimestamp(year: 2020, month: 2, day: 29, hour: 0, minute: 0, second: 0) != nil)
    #expect(NameTimestamp(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0) != nil)
    #expect(NameTimestamp(year: 2021, month: 2, day: 29, hour: 0, minute: 0, second: 0) == nil)
    #expect(NameTimestamp(year: 1900, month: 2, day: 29, hour: 0, minute: 0, second: 0) == nil)
    #expect(NameTimestamp(year: 2021, month: 4, day: 31, hour: 0, minute: 0, second: 0) == nil)
    #expect(NameTimestamp(year: 2021, month: 0, day: 1, hour: 0, minute: 0, second: 0) == nil)
    #expect(NameTimestamp(year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0) == nil)
    #expect(NameTimestamp(fileName: "2021-02-30-00-00-00.csv") == nil)
  }

  @Test func ordersInTime() throws {
    let names = [
      "2021-01-01-00-00-00", "2020-12-31-23-59-59", "2021-01-01-00-00-01", "2020-01-02-00-00-00",
    ]
    let sorted = names.compactMap { NameTimestamp($0) }.sorted().map(\.sqlText)
    #expect(
      sorted == [
        "2020-01-02 00:00:00", "2020-12-31 23:59:59", "2021-01-01 00:00:00", "2021-01-01 00:00:01",
      ])
  }

  @Test func codableAsTheLedgerText() throws {
    let value = try #require(NameTimestamp("2020-09-17 15:04:23"))
    let data = try JSONEncoder().encode([value])
    #expect(String(decoding: data, as: UTF8.self) == #"["2020-09-17 15:04:23"]"#)
    #expect(try JSONDecoder().decode([NameTimestamp].self, from: data) == [value])
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([NameTimestamp].self, from: Data(#"["2020-02-30 00:00:00"]"#.utf8))
    }
  }
}
