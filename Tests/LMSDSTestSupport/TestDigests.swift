import Messages

extension SHA256Digest {
  /// A well-formed digest of 64 copies of one hexadecimal digit, for rows and messages whose
  /// bytes a test never reads.
  public static func repeating(_ digit: Character) -> SHA256Digest {
    SHA256Digest(hex: String(repeating: digit, count: 64))!
  }
}
