import Foundation
import Testing

@testable import lmsds

/// The JSON log line is written by hand (it runs once per applied file); a collector must read back
/// exactly the members given, whatever the characters.
@Suite struct LogLineTests {
  @Test func membersReadBackWhateverTheCharacters() throws {
    let members = [
      "message": "file \"a,b\".csv rejected: line 3, column 2, value \\x",
      "path": "provider/users/2026-12-03/users.csv",
      "controls": "tab\there\nnewline\r\u{01}\u{1F}end",
      "unicode": "Zoë 日本 🙂",
      "": "empty key",
      "empty": "",
    ]
    let line = JSONLine.object(members)
    #expect(!line.contains("\n"))
    let decoded = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
    #expect(decoded == members)
    #expect(line.contains("provider/users/2026-12-03/users.csv"), "slashes are not escaped")
  }

  @Test func membersAreInKeyOrder() {
    #expect(JSONLine.object(["b": "2", "a": "1", "c": "3"]) == #"{"a":"1","b":"2","c":"3"}"#)
  }

  @Test func timestampIsISO8601InUTCWithMilliseconds() throws {
    let date = Date(timeIntervalSince1970: 1_796_300_000.123_456)
    #expect(LogTimestamp.text(date) == "2026-12-03T12:13:20.123Z")
    let parser = ISO8601DateFormatter()
    parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let parsed = try #require(parser.date(from: LogTimestamp.text(date)))
    #expect(abs(parsed.timeIntervalSince1970 - 1_796_300_000.123) < 0.000_5)
  }
}
