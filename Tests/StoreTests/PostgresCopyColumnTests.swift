import Testing
import UDM

@testable import Store

@Suite struct PostgresCopyColumnTests {
  /// The canonical texts the loader writes, read as PostgreSQL's binary values: against
  /// `LMSTimestamp`'s own arithmetic, across centuries, leap days and every fraction length.
  @Test func canonicalTextsMatchTheirBinaryValues() throws {
    let texts = [
      "1970-01-01 00:00:00", "1999-12-31 23:59:59", "2000-01-01 00:00:00", "2000-02-29 12:34:56",
      "2021-03-01 08:00:00.5", "2021-03-01 08:00:00.25", "2021-03-01 08:00:00.000001",
      "1600-02-29 00:00:00", "0001-01-01 00:00:00", "9999-12-31 23:59:59.999999",
    ]
    for text in texts {
      var bytes = text
      let parsed = bytes.withUTF8 {
        PostgresCopyColumn.microseconds(canonical: UnsafeRawBufferPointer($0))
      }
      let timestamp = try #require(LMSTimestamp(text))
      let expected = timestamp.microsecondsSinceUnixEpoch - PostgresCopyColumn.epochMicroseconds
      #expect(parsed == expected, "\(text)")
    }
    for bad in [
      "2021-03-01", "2021-03-01 08:00", "2021-03-01 08:00:00.", "2021-03-01 08:00:00.1234567",
      "2021-3-01 08:00:00", "2021-03-01T08:00:00", "x021-03-01 08:00:00",
    ] {
      var bytes = bad
      #expect(
        bytes.withUTF8 { PostgresCopyColumn.microseconds(canonical: UnsafeRawBufferPointer($0)) }
          == nil, "\(bad)")
    }
    var leap = "2000-03-01"
    #expect(leap.withUTF8 { PostgresCopyColumn.days(canonical: UnsafeRawBufferPointer($0)) } == 60)
    var before = "1999-12-31"
    #expect(
      before.withUTF8 { PostgresCopyColumn.days(canonical: UnsafeRawBufferPointer($0)) } == -1)
    for (text, value) in [("-12", Int64(-12)), ("+7", 7), ("0", 0)] {
      var bytes = text
      #expect(bytes.withUTF8 { PostgresCopyColumn.integer(UnsafeRawBufferPointer($0)) } == value)
    }
    for bad in ["", "-", "1.5", "12a"] {
      var bytes = bad
      #expect(bytes.withUTF8 { PostgresCopyColumn.integer(UnsafeRawBufferPointer($0)) } == nil)
    }
  }
}
