/// Just enough of the ODBC connection-string grammar (`KEY=value;KEY={va;lue}`) to hide
/// passwords when one is printed.
enum ODBCSecretRedaction {
  static let secretKeys: Set<String> = ["pwd", "password"]

  static func redacted(_ text: String) -> String {
    var output = ""
    var index = text.startIndex
    while index < text.endIndex {
      // The key runs to `=` (or to `;` for a malformed attribute, which is kept as it is).
      guard let equals = text[index...].firstIndex(where: { $0 == "=" || $0 == ";" }),
        text[equals] == "="
      else {
        let end = text[index...].firstIndex(of: ";").map { text.index(after: $0) } ?? text.endIndex
        output += text[index..<end]
        index = end
        continue
      }
      let key = text[index..<equals]
      var valueEnd = text.index(after: equals)
      let isSecret = secretKeys.contains(key.trimmingSpaces.lowercased())
      if text[valueEnd...].drop(while: { $0 == " " }).first == "{" {
        // A braced value may hold `;`, and `}}` stands for one `}`.
        valueEnd = text[valueEnd...].firstIndex(of: "{")!
        valueEnd = text.index(after: valueEnd)
        while valueEnd < text.endIndex {
          if text[valueEnd] == "}" {
            let next = text.index(after: valueEnd)
            if next < text.endIndex, text[next] == "}" {
              valueEnd = text.index(after: next)
              continue
            }
            valueEnd = next
            break
          }
          valueEnd = text.index(after: valueEnd)
        }
      }
      valueEnd = text[valueEnd...].firstIndex(of: ";") ?? text.endIndex
      output += text[index...equals]
      output += isSecret ? "***" : String(text[text.index(after: equals)..<valueEnd])
      if valueEnd < text.endIndex {
        output += ";"
        index = text.index(after: valueEnd)
      } else {
        index = valueEnd
      }
    }
    return output
  }
}

extension Substring {
  fileprivate var trimmingSpaces: String {
    String(String(drop(while: { $0 == " " }).reversed()).drop(while: { $0 == " " }).reversed())
  }
}
