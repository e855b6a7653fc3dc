extension Sequence<UInt8> {
  /// Lower-case hex, two digits a byte: how the ledger and the messages spell a SHA-256 digest.
  public var lowercaseHex: String {
    var digits: [UInt8] = []
    digits.reserveCapacity(underestimatedCount * 2)
    for byte in self {
      digits.append(Self.hexDigit(byte >> 4))
      digits.append(Self.hexDigit(byte & 0xF))
    }
    return String(decoding: digits, as: UTF8.self)
  }

  private static func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
  }
}
