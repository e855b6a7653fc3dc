extension Sequence<UInt8> {
  /// Lower-case hex, two digits a byte: how the ledger and the messages spell a SHA-256 digest.
  public var lowercaseHex: String {
    var text = ""
    text.reserveCapacity(64)
    for byte in self {
      text.append(Self.hexDigits[Int(byte >> 4)])
      text.append(Self.hexDigits[Int(byte & 0xF)])
    }
    return text
  }

  private static var hexDigits: [Character] { Array("0123456789abcdef") }
}
