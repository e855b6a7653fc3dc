/// The checksum recorded for each script we run, so that an edited script is noticed.
///
/// Format: `fnv1a64:` followed by 16 lower-case hex digits, the 64-bit FNV-1a hash of the script's
/// UTF-8 bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3). It guards against accidental
/// edits, not tampering, so a cryptographic hash is not needed, and Store stays free of a crypto
/// dependency. The prefix leaves room to change the algorithm later without misreading old rows.
enum MigrationChecksum {
  static let prefix = "fnv1a64:"

  static func of(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return prefix + String(repeating: "0", count: 16 - hex.count) + hex
  }
}
