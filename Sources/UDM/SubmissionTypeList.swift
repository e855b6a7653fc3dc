/// The `SubmissionType` field of an assignments file, read as the set of types it lists
/// (lms-udm §2).
///
/// A value starting with `[` and ending with `]` is a list of quoted strings, as Python's `repr`
/// of a list writes them: `['online_text_entry', 'online_upload']`. Elements use single or
/// double quotes; a backslash makes the next character literal (`\'`, `\"`, `\\`; any other
/// escaped character stands for itself); elements are separated by commas with optional
/// whitespace (space, tab, CR, LF); empty elements (`''`, or nothing between two commas, or a
/// trailing comma) are dropped. Any other value is one bare type, kept exactly — no trimming.
public enum SubmissionTypeList {
  /// The distinct types in first-seen order; `[]` for an empty field or `[]`; `nil` for a
  /// malformed list (an unterminated quote, or anything else between elements), which makes
  /// the assignment row invalid.
  public static func parse(_ text: String) -> [String]? {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty else { return [] }
    guard bytes.count >= 2, bytes.first == 0x5B, bytes.last == 0x5D else { return [text] }

    var types: [String] = []
    var index = 1
    let end = bytes.count - 1
    func skipWhitespace() {
      while index < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }
    while true {
      skipWhitespace()
      if index == end { break }
      let opening = bytes[index]
      if opening == 0x2C {  // an empty element
        index += 1
        continue
      }
      guard opening == 0x27 || opening == 0x22 else { return nil }
      index += 1
      var element: [UInt8] = []
      var closed = false
      while index < end {
        let byte = bytes[index]
        if byte == 0x5C {
          guard index + 1 < end else { return nil }
          element.append(bytes[index + 1])
          index += 2
        } else if byte == opening {
          index += 1
          closed = true
          break
        } else {
          element.append(byte)
          index += 1
        }
      }
      guard closed else { return nil }
      if !element.isEmpty {
        let type = String(decoding: element, as: UTF8.self)
        if !types.contains(type) { types.append(type) }
      }
      skipWhitespace()
      if index == end { break }
      guard bytes[index] == 0x2C else { return nil }
      index += 1
    }
    return types
  }
}
