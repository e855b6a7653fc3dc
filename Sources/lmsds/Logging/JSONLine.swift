/// One JSON object of string members on one line, members in key order.
///
/// Written by hand because it runs once per applied file: `JSONSerialization` boxed every value and
/// sorted through `AnyHashable`, and with the timestamp it took half a worker's CPU (perf, fleet
/// bench, 5,000 files).
enum JSONLine {
  static func object(_ members: [String: String]) -> String {
    var line = "{"
    for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
      if index > 0 { line += "," }
      appendString(member.key, to: &line)
      line += ":"
      appendString(member.value, to: &line)
    }
    return line + "}"
  }

  /// Appends `value` as a JSON string: quote, backslash and the C0 controls escaped, the rest as is
  /// (UTF-8 passes through; `/` is left alone, as collectors expect paths to read).
  static func appendString(_ value: String, to line: inout String) {
    line += "\""
    // Most values (paths, counts, names) need no escape: appended whole.
    if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
      line += value
      line += "\""
      return
    }
    var pending = value.unicodeScalars.startIndex
    let scalars = value.unicodeScalars
    var index = scalars.startIndex
    while index < scalars.endIndex {
      let scalar = scalars[index]
      if let escape = escape(scalar) {
        line.unicodeScalars.append(contentsOf: scalars[pending..<index])
        line += escape
        pending = scalars.index(after: index)
      }
      index = scalars.index(after: index)
    }
    line.unicodeScalars.append(contentsOf: scalars[pending..<scalars.endIndex])
    line += "\""
  }

  private static func escape(_ scalar: Unicode.Scalar) -> String? {
    switch scalar {
    case "\"": return "\\\""
    case "\\": return "\\\\"
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\t": return "\\t"
    case _ where scalar.value < 0x20:
      let hex = String(scalar.value, radix: 16)
      return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    default: return nil
    }
  }
}
