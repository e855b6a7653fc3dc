import Foundation
import Messages
import Testing

@testable import Producer

/// The `force` field added to file messages for `replay --force` (compatible within 1.0).
@Suite struct PublishMessageTests {
  private func sample(replay: Bool = false, force: Bool = false) -> FileMessage {
    FileMessage(
      provider: "canvas", resource: .users, relativePath: "users/2021-01-01-00-00-00.csv", size: 10,
      sha256: SHA256Digest(hex: String(repeating: "ab", count: 32))!,
      nameTimestamp: NameTimestamp("2021-01-01 00:00:00")!,
      scanId: "s", replay: replay, force: force,
      publishedAt: Date(timeIntervalSince1970: 1_600_000_000))
  }

  private func object(_ message: FileMessage) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(message.encode())) as! [String: Any]
  }

  @Test func forceIsOmittedWhenFalseSoOrdinaryMessagesKeepTheir10Bytes() throws {
    let json = try object(sample())
    #expect(json["force"] == nil)
    #expect(json["version"] as? String == "1.0")
    #expect(
      Set(json.keys) == [
        "version", "provider", "resource", "relativePath", "size", "sha256", "nameTimestamp",
        "scanId",
        "replay", "publishedAt",
      ])
  }

  @Test func aForcedReplayCarriesForceAndRoundTrips() throws {
    let message = sample(replay: true, force: true)
    #expect(try object(message)["force"] as? Bool == true)
    let decoded = try FileMessage.decode(message.encode())
    #expect(decoded == message)
    #expect(decoded.force && decoded.replay)
  }

  @Test func aMessageWithoutForceDecodesAsNotForced() throws {
    var json = try object(sample(replay: true))
    json["force"] = nil
    let bytes = Array(try JSONSerialization.data(withJSONObject: json))
    let decoded = try FileMessage.decode(bytes)
    #expect(decoded.force == false)
    #expect(decoded.replay == true)
  }

  @Test func aWrongTypeOfForceIsMalformed() throws {
    var json = try object(sample())
    json["force"] = "yes"
    let bytes = Array(try JSONSerialization.data(withJSONObject: json))
    #expect(throws: FileMessageError.self) { try FileMessage.decode(bytes) }
  }
}
