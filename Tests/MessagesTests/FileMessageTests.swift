import Foundation
import Testing

@testable import Messages

private let abcSHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

private func sample(replay: Bool = false) -> FileMessage {
  FileMessage(
    provider: "canvas", resource: .submissions,
    relativePath: "section=S 1/Assignment=A/submissions/2020-09-17-15-04-23.csv", size: 3,
    sha256: SHA256Digest(hex: abcSHA256)!, nameTimestamp: NameTimestamp("2020-09-17 15:04:23")!,
    scanId: "scan-1",
    replay: replay, publishedAt: Date(timeIntervalSince1970: 1_600_000_000.25))
}

private func json(_ object: [String: Any]) -> [UInt8] {
  Array(try! JSONSerialization.data(withJSONObject: object))
}

private func fields(_ message: FileMessage) -> [String: Any] {
  try! JSONSerialization.jsonObject(with: Data(message.encode())) as! [String: Any]
}

@Suite struct FileMessageTests {
  @Test func roundTrips() throws {
    for replay in [false, true] {
      let message = sample(replay: replay)
      #expect(try FileMessage.decode(message.encode()) == message)
    }
  }

  @Test func wireFormat() throws {
    let object = fields(sample())
    #expect(object["version"] as? String == "1.0")
    #expect(object["provider"] as? String == "canvas")
    #expect(object["resource"] as? String == "submissions")
    #expect(
      object["relativePath"] as? String
        == "section=S 1/Assignment=A/submissions/2020-09-17-15-04-23.csv")
    #expect(object["size"] as? Int == 3)
    #expect(object["sha256"] as? String == abcSHA256)
    #expect(object["nameTimestamp"] as? String == "2020-09-17 15:04:23")
    #expect(object["scanId"] as? String == "scan-1")
    #expect(object["replay"] as? Bool == false)
    #expect(object["publishedAt"] as? String == "2020-09-13T12:26:40.250Z")
    #expect(Set(object.keys).count == 10)
    #expect(sample().publishedDate == Date(timeIntervalSince1970: 1_600_000_000.25))
  }

  @Test func encodingIsDeterministic() {
    #expect(sample().encode() == sample().encode())
  }

  @Test func keyIsTheProvider() {
    var message = sample()
    message.provider = "Schoölogy"
    #expect(message.key == Array("Schoölogy".utf8))
  }

  @Test func rejectsAnUnknownMajorVersion() throws {
    var object = fields(sample())
    object["version"] = "2.0"
    #expect(throws: FileMessageError.unsupportedVersion("2.0")) {
      try FileMessage.decode(json(object))
    }
    object["version"] = "2.7"
    let error = #expect(throws: FileMessageError.self) { try FileMessage.decode(json(object)) }
    #expect(error?.description.contains("2.7") == true)
  }

  @Test func acceptsUnknownMinorVersionsAndKeys() throws {
    var object = fields(sample())
    object["version"] = "1.7"
    object["priority"] = "high"
    object["extra"] = ["nested": [1, 2]]
    let message = try FileMessage.decode(json(object))
    #expect(message.version == "1.7")
    #expect(message.relativePath == sample().relativePath)
  }

  @Test(arguments: ["", "1", "one.zero", "1..0", "-1.0", "1.0-beta"])
  func rejectsMalformedVersions(version: String) {
    var object = fields(sample())
    object["version"] = version
    #expect(throws: FileMessageError.self) { try FileMessage.decode(json(object)) }
  }

  @Test func rejectsMissingFieldsAndJunk() {
    var object = fields(sample())
    object.removeValue(forKey: "sha256")
    let error = #expect(throws: FileMessageError.self) { try FileMessage.decode(json(object)) }
    #expect(error?.description.contains("sha256") == true)
    #expect(throws: FileMessageError.self) { try FileMessage.decode(Array("not json".utf8)) }
    #expect(throws: FileMessageError.self) { try FileMessage.decode(Array("[]".utf8)) }
    #expect(throws: FileMessageError.self) { try FileMessage.decode([]) }
  }

  /// Values are JSON literals, so one table holds strings and numbers.
  @Test(arguments: [
    ("relativePath", #""../users/2020-09-17-15-04-23.csv""#),
    ("relativePath", #""/etc/users/2020-09-17-15-04-23.csv""#),
    ("relativePath", #""section=S 1/Assignment=A/submissions/2020-09-18-15-04-23.csv""#),
    ("resource", #""users""#),
    ("resource", #""widgets""#),
    ("sha256", #""ABC""#),
    ("sha256", "\"\(abcSHA256.uppercased())\""),
    ("size", "-1"),
    ("size", "1.5"),
    ("provider", #""""#),
    ("nameTimestamp", #""2020-02-30 00:00:00""#),
    ("replay", #""yes""#),
  ])
  func rejectsInconsistentOrUnsafeFields(key: String, literal: String) throws {
    var object = fields(sample())
    object[key] = try JSONSerialization.jsonObject(
      with: Data(literal.utf8), options: .fragmentsAllowed)
    #expect(throws: FileMessageError.self) { try FileMessage.decode(json(object)) }
  }

  @Test func identityAndLocation() throws {
    let message = sample()
    #expect(message.identity.relativePath == message.relativePath)
    #expect(message.identity.sha256.hex == abcSHA256)
    #expect(message.location?.assignmentID == "A")
    #expect(message.location?.sectionID == "S 1")
  }
}
