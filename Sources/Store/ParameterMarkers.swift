/// Statements are written with `$1`, `$2`, …; ODBC only knows positional `?`, and SQLite takes
/// `$1` for a *name*, whose number it finds by a linear search per parameter (a second to bind one
/// 10,000-value INSERT). The rewrite maps each `?` to the parameter it stands for, so `$1` used
/// twice binds the first value twice.
///
/// Quoted strings, quoted identifiers, comments and (on PostgreSQL) dollar-quoted bodies are
/// copied untouched: a `$1` there is text, not a parameter.
struct ParameterMarkers: Equatable {
  /// The statement with `?` in place of every `$N`.
  let sql: String
  /// For each `?` in order, the zero-based index of the value it takes.
  let order: [Int]

  struct Syntax: Sendable, Hashable {
    /// `[identifier]`, SQL Server's quoting; on PostgreSQL `[` subscripts arrays.
    var bracketIdentifiers: Bool
    /// `$tag$ … $tag$` bodies, PostgreSQL's alternative string quoting.
    var dollarQuoting: Bool
    /// `E'…'` strings in which a backslash escapes the next character.
    var escapeStrings: Bool

    static func of(_ dialect: SQLDialect) -> Syntax {
      switch dialect {
      case .sqlserver: Syntax(bracketIdentifiers: true, dollarQuoting: false, escapeStrings: false)
      case .postgresql: Syntax(bracketIdentifiers: false, dollarQuoting: true, escapeStrings: true)
      case .sqlite: Syntax(bracketIdentifiers: true, dollarQuoting: false, escapeStrings: false)
      }
    }
  }

  init(rewriting text: String, parameterCount: Int, syntax: Syntax) throws(DatabaseError) {
    let scalars = Array(text.unicodeScalars)
    var output = String.UnicodeScalarView()
    var order: [Int] = []
    var index = 0

    /// Copies up to and including the first `terminator` not doubled (`''`, `""`, `]]`).
    func copyQuoted(closingWith terminator: Unicode.Scalar, backslashEscapes: Bool = false) {
      output.append(scalars[index])
      index += 1
      while index < scalars.count {
        let scalar = scalars[index]
        output.append(scalar)
        index += 1
        if backslashEscapes, scalar == "\\", index < scalars.count {
          output.append(scalars[index])
          index += 1
        } else if scalar == terminator {
          guard index < scalars.count, scalars[index] == terminator else { return }
          output.append(scalars[index])
          index += 1
        }
      }
    }

    func copy(through end: Int) {
      let end = min(end, scalars.count)
      output.append(contentsOf: scalars[index..<end])
      index = end
    }

    while index < scalars.count {
      let scalar = scalars[index]
      let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
      let previous: Unicode.Scalar? = index > 0 ? scalars[index - 1] : nil
      switch scalar {
      case "'":
        let escaped =
          syntax.escapeStrings && (previous == "E" || previous == "e")
          && !(index >= 2 && Self.isIdentifierPart(scalars[index - 2]))
        copyQuoted(closingWith: "'", backslashEscapes: escaped)
      case "\"":
        copyQuoted(closingWith: "\"")
      case "[" where syntax.bracketIdentifiers:
        copyQuoted(closingWith: "]")
      case "-" where next == "-":
        let lineEnd = scalars[index...].firstIndex { $0 == "\n" } ?? scalars.count
        copy(through: lineEnd)
      case "/" where next == "*":
        copy(through: Self.blockCommentEnd(scalars, from: index))
      case "?":
        throw DatabaseError(
          .usage,
          "a ? outside quotes would be taken for a parameter marker; write parameters as $1, $2, …"
        )
      case "$" where previous.map(Self.isIdentifierPart) != true:
        if let (number, end) = Self.number(scalars, after: index) {
          guard (1...parameterCount).contains(number) else {
            throw DatabaseError(
              .usage,
              "the statement uses $\(number) but \(parameterCount) parameter(s) were given")
          }
          output.append("?")
          order.append(number - 1)
          index = end
        } else if syntax.dollarQuoting, let end = Self.dollarQuoteEnd(scalars, from: index) {
          copy(through: end)
        } else {
          output.append(scalar)
          index += 1
        }
      default:
        output.append(scalar)
        index += 1
      }
    }
    sql = String(output)
    self.order = order
  }

  private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "_" || scalar == "$" || scalar.properties.isAlphabetic
      || ("0"..."9").contains(scalar)
  }

  /// The decimal number right after the `$` at `index`, and where it ends.
  private static func number(_ scalars: [Unicode.Scalar], after index: Int) -> (Int, Int)? {
    var end = index + 1
    var value = 0
    while end < scalars.count, ("0"..."9").contains(scalars[end]) {
      guard value < 100_000 else { return nil }
      value = value * 10 + Int(scalars[end].value - 0x30)
      end += 1
    }
    return end > index + 1 ? (value, end) : nil
  }

  /// The end of a `/* … */` comment, which nests in both PostgreSQL and SQL Server.
  private static func blockCommentEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
    var depth = 0
    var index = start
    while index + 1 < scalars.count {
      if scalars[index] == "/" && scalars[index + 1] == "*" {
        depth += 1
        index += 2
      } else if scalars[index] == "*" && scalars[index + 1] == "/" {
        depth -= 1
        index += 2
        if depth == 0 { return index }
      } else {
        index += 1
      }
    }
    return scalars.count
  }

  /// For `$tag$` at `start` (the tag may be empty, never starting with a digit), the index just
  /// past the matching closing tag; nil when this `$` opens no dollar quote.
  private static func dollarQuoteEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
    var tagEnd = start + 1
    while tagEnd < scalars.count, scalars[tagEnd] != "$" {
      let scalar = scalars[tagEnd]
      guard
        scalar == "_" || scalar.properties.isAlphabetic
          || (tagEnd > start + 1 && ("0"..."9").contains(scalar))
      else { return nil }
      tagEnd += 1
    }
    guard tagEnd < scalars.count else { return nil }
    let tag = scalars[start...tagEnd]
    var index = tagEnd + 1
    while index + tag.count <= scalars.count {
      if scalars[index] == "$", scalars[index..<(index + tag.count)].elementsEqual(tag) {
        return index + tag.count
      }
      index += 1
    }
    return scalars.count
  }
}
