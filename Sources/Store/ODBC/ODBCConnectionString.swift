/// An ODBC connection string (`Driver={…};Server=…;Pwd=…;`) read just enough to keep its
/// secrets out of every message: the driver receives the text as given, everything else sees
/// `redacted`.
public struct ODBCConnectionString: Sendable, Hashable {
  public let text: String
  /// Values of the password keywords, as written and unbraced: a driver may echo either.
  private let secrets: [String]

  /// Keywords whose values are secret, in lower case. `Authentication`'s value is not secret;
  /// access tokens travel as attributes, never in the string.
  private static let secretKeywords: Set<String> = ["pwd", "password"]

  public init(_ text: String) {
    self.text = text
    var secrets: [String] = []
    for pair in Self.pairs(in: text) where Self.secretKeywords.contains(pair.keyword.lowercased()) {
      let raw = String(text[pair.valueRange])
      for candidate in [raw, Self.unbraced(raw)]
      where !candidate.isEmpty && !secrets.contains(candidate) {
        secrets.append(candidate)
      }
    }
    // Longest first, so a secret that contains another is masked whole.
    self.secrets = secrets.sorted { $0.count > $1.count }
  }

  /// The string with each password value replaced by `***`, for logs and errors.
  public var redacted: String { Self.maskingSecretKeywords(in: text) }

  /// `message` with any password this string holds, or any `Pwd=…` it quotes, masked.
  public func redacting(_ message: String) -> String {
    var result = message
    // Very short passwords would mask ordinary letters all over the message; they are still
    // caught when quoted after their keyword.
    for secret in secrets where secret.count >= 3 {
      result = result.replacing(secret, with: "***")
    }
    return Self.maskingSecretKeywords(in: result)
  }

  // MARK: - Reading

  struct Pair {
    let keyword: Substring
    let valueRange: Range<String.Index>
  }

  /// `keyword=value` pairs separated by `;`; a value in braces may hold `;` and `}}` stands for `}`.
  static func pairs(in text: String) -> [Pair] {
    var pairs: [Pair] = []
    var index = text.startIndex
    while index < text.endIndex {
      guard let equals = text[index...].firstIndex(where: { $0 == "=" || $0 == ";" }) else { break }
      if text[equals] == ";" {
        // A segment without `=` names nothing.
        index = text.index(after: equals)
        continue
      }
      let keyword = text[index..<equals].trimmingSpaces
      let valueStart = text[text.index(after: equals)...].firstIndex { $0 != " " } ?? text.endIndex
      let valueEnd = Self.valueEnd(in: text, from: valueStart)
      pairs.append(Pair(keyword: keyword, valueRange: valueStart..<valueEnd))
      index = valueEnd < text.endIndex ? text.index(after: valueEnd) : valueEnd
    }
    return pairs
  }

  /// Where a value starting at `start` ends: at the `;` after it, or after its closing brace.
  private static func valueEnd(in text: String, from start: String.Index) -> String.Index {
    guard start < text.endIndex, text[start] == "{" else {
      return text[start...].firstIndex(of: ";") ?? text.endIndex
    }
    var index = text.index(after: start)
    while index < text.endIndex {
      if text[index] == "}" {
        let next = text.index(after: index)
        if next < text.endIndex, text[next] == "}" {
          index = text.index(after: next)
          continue
        }
        return text[next...].firstIndex(of: ";") ?? text.endIndex
      }
      index = text.index(after: index)
    }
    return text.endIndex
  }

  private static func unbraced(_ value: String) -> String {
    guard value.count >= 2, value.first == "{", value.last == "}" else { return value }
    return String(value.dropFirst().dropLast()).replacing("}}", with: "}")
  }

  /// Replaces the value after every password keyword, whether in a connection string or in a
  /// driver message that quotes one.
  private static func maskingSecretKeywords(in text: String) -> String {
    var result = ""
    var index = text.startIndex
    while index < text.endIndex {
      guard let (valueStart, valueEnd) = nextSecretValue(in: text, from: index) else { break }
      result += text[index..<valueStart]
      result += "***"
      index = valueEnd
    }
    result += text[index...]
    return result
  }

  /// The range of the next value that follows `pwd=` or `password=` (any case, spaces allowed
  /// around `=`), with the keyword not part of a longer word.
  private static func nextSecretValue(
    in text: String, from start: String.Index
  ) -> (String.Index, String.Index)? {
    var index = start
    while index < text.endIndex {
      for keyword in ["password", "pwd"] {
        guard let keywordEnd = matchKeyword(keyword, in: text, at: index) else { continue }
        var cursor = keywordEnd
        while cursor < text.endIndex, text[cursor] == " " { cursor = text.index(after: cursor) }
        guard cursor < text.endIndex, text[cursor] == "=" else { continue }
        cursor = text.index(after: cursor)
        while cursor < text.endIndex, text[cursor] == " " { cursor = text.index(after: cursor) }
        let end = valueEnd(in: text, from: cursor)
        // In a message the value ends at a line break or a quote as well.
        let messageEnd =
          text[cursor..<end].firstIndex { $0.isNewline || $0 == "'" || $0 == "\"" } ?? end
        return (cursor, messageEnd)
      }
      index = text.index(after: index)
    }
    return nil
  }

  private static func matchKeyword(_ keyword: String, in text: String, at index: String.Index)
    -> String.Index?
  {
    if index > text.startIndex {
      let previous = text[text.index(before: index)]
      if previous.isLetter || previous.isNumber || previous == "_" { return nil }
    }
    var cursor = index
    for expected in keyword {
      guard cursor < text.endIndex, text[cursor].lowercased() == String(expected) else {
        return nil
      }
      cursor = text.index(after: cursor)
    }
    return cursor
  }
}

extension Substring {
  fileprivate var trimmingSpaces: Substring {
    var result = self
    while result.first == " " { result.removeFirst() }
    while result.last == " " { result.removeLast() }
    return result
  }
}
