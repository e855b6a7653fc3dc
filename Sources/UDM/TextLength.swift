/// Text lengths as the column limits count them: UTF-16 code units, as SQL Server does, on every
/// dialect (lms-udm §2) — so one limit means the same on all of them.
public enum TextLength {
  /// The UTF-16 length of valid UTF-8: one unit per character, two for a 4-byte one.
  @inline(__always)
  public static func utf16Count(_ bytes: UnsafeRawBufferPointer) -> Int {
    var count = 0
    for byte in bytes {
      // Every non-continuation byte starts a character; 4-byte leads add the second surrogate.
      count &+= (byte & 0xC0 != 0x80 ? 1 : 0) &+ (byte >= 0xF0 ? 1 : 0)
    }
    return count
  }

  public static func utf16Count(_ text: String) -> Int { text.utf16.count }

  /// How many leading bytes of valid UTF-8 to keep so the text has at most `maxUTF16Units`
  /// units, cutting only between characters (never inside a surrogate pair). Used to cut
  /// `AssignmentDescription` to 1024.
  public static func utf8PrefixLength(
    _ bytes: UnsafeRawBufferPointer, maxUTF16Units: Int
  ) -> Int {
    var index = 0
    var units = 0
    while index < bytes.count {
      let lead = bytes[index]
      let length: Int
      let width: Int
      switch lead {
      case ..<0xC0: (length, width) = (1, 1)
      case ..<0xE0: (length, width) = (2, 1)
      case ..<0xF0: (length, width) = (3, 1)
      default: (length, width) = (4, 2)
      }
      if units + width > maxUTF16Units { break }
      units += width
      index = min(index + length, bytes.count)
    }
    return index
  }

  /// `text` cut to at most `maxUTF16Units` units between characters.
  public static func prefix(_ text: String, maxUTF16Units: Int) -> String {
    var text = text
    return text.withUTF8 { buffer in
      let raw = UnsafeRawBufferPointer(buffer)
      let keep = utf8PrefixLength(raw, maxUTF16Units: maxUTF16Units)
      return String(decoding: raw[..<keep], as: UTF8.self)
    }
  }
}
