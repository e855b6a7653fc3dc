import Foundation
import Testing

@testable import Messages

struct SHA256DigestTests {
  static let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

  @Test func acceptsSixtyFourLowerCaseHexadecimalDigits() throws {
    let digest = try #require(SHA256Digest(hex: Self.abc))
    #expect(digest.hex == Self.abc)
    #expect(digest.description == Self.abc)
    #expect("\(digest)" == Self.abc)
    #expect(SHA256Digest(hex: String(repeating: "0", count: 64)) != nil)
    #expect(SHA256Digest(hex: String(repeating: "f", count: 64)) != nil)
  }

  /// Empty, short, long, upper case, prefixed, a non-hex digit, a path, NUL, non-ASCII.
  static let malformed: [String] = {
    let cut = String(abc.dropLast())
    return [
      "", "ab", cut, abc + "0", abc.uppercased(), "0x" + String(abc.dropFirst(2)), cut + "g",
      " " + String(abc.dropFirst()), "../../" + String(abc.dropFirst(6)), cut + "\u{0}",
      cut + "é",
    ]
  }()

  @Test(arguments: malformed)
  func rejectsAnythingElse(_ text: String) {
    #expect(SHA256Digest(hex: text) == nil)
  }

  @Test func fromTheThirtyTwoBytesOfAHash() {
    let bytes = (0..<32).map { UInt8($0 * 8) }
    let digest = SHA256Digest(bytes: bytes)
    #expect(digest.hex == bytes.lowercaseHex)
    #expect(digest.hex.utf8.count == 64)
    #expect(SHA256Digest(hex: digest.hex) == digest)
  }

  @Test func codesAsTheHexadecimalString() throws {
    let digest = try #require(SHA256Digest(hex: Self.abc))
    let encoded = try JSONEncoder().encode([digest])
    #expect(String(decoding: encoded, as: UTF8.self) == "[\"\(Self.abc)\"]")
    #expect(try JSONDecoder().decode([SHA256Digest].self, from: encoded) == [digest])
    for bad in ["[\"\(Self.abc.uppercased())\"]", "[\"ab\"]", "[42]"] {
      #expect(throws: DecodingError.self) {
        try JSONDecoder().decode([SHA256Digest].self, from: Data(bad.utf8))
      }
    }
  }

  @Test func anIdentityCodesItsDigestAsText() throws {
    let identity = FileIdentity(
      provider: "canvas", relativePath: "users/2024-01-01-00-00-00.csv",
      sha256: try #require(SHA256Digest(hex: Self.abc)))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let text = String(decoding: try encoder.encode(identity), as: UTF8.self)
    #expect(
      text
        == "{\"provider\":\"canvas\",\"relativePath\":\"users/2024-01-01-00-00-00.csv\",\"sha256\":\"\(Self.abc)\"}"
    )
  }

  @Test func ordersAsItsText() throws {
    let low = try #require(SHA256Digest(hex: String(repeating: "0", count: 64)))
    let high = try #require(SHA256Digest(hex: String(repeating: "a", count: 64)))
    #expect(low < high)
    #expect(!(high < low))
  }
}
