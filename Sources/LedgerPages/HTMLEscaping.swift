/// Text made safe to place in HTML element content and in quoted attribute values. Provider
/// names, paths and rejection messages come from files on disk: nothing of them may become markup.
enum HTMLEscaping {
  static func escape(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&#39;"
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped
  }
}

extension String {
  /// This text escaped for HTML (`HTMLEscaping`).
  var html: String { HTMLEscaping.escape(self) }
}
