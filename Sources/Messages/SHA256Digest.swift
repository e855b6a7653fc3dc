/// The SHA-256 of a file's bytes, the part of its identity that names the content
/// (load-semantics §8). Always 64 lower-case hexadecimal digits, the spelling messages, ledger
/// rows, JSON lines, pages and archive names use: it is encoded as that text, so every wire and
/// stored form is the string it was before this type existed.
public struct SHA256Digest: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
  /// 64 lower-case hexadecimal digits.
  public let hex: String

  /// Nil unless `hex` is exactly 64 lower-case hexadecimal digits (no prefix, no upper case).
  public init?(hex: String) {
    let bytes = hex.utf8
    guard bytes.count == 64, bytes.allSatisfy(Self.isLowerHexDigit) else { return nil }
    self.hex = hex
  }

  /// The digest a SHA-256 function returned (swift-crypto's `SHA256.Digest` is such a sequence):
  /// exactly 32 bytes, or this traps.
  public init(bytes: some Sequence<UInt8>) {
    let hex = bytes.lowercaseHex
    precondition(hex.utf8.count == 64, "a SHA-256 digest is 32 bytes")
    self.hex = hex
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let digest = SHA256Digest(hex: text) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "not 64 lower-case hexadecimal digits")
    }
    self = digest
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(hex)
  }

  public var description: String { hex }

  /// By the hexadecimal text, which orders as the bytes do.
  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.hex < rhs.hex }

  private static func isLowerHexDigit(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
  }
}
