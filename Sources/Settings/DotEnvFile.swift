import Foundation

/// A `.env` file as the Ed-Fi loader reads it (python-dotenv): `KEY=VALUE` lines, `#` comments,
/// an optional `export `, single quotes taken literally, double quotes with `\n`-style escapes,
/// quoted values across lines, and `${NAME}` / `${NAME:-default}` in unquoted and double-quoted
/// values (the process environment first, then earlier lines). Its values never override a
/// variable of the process environment: the resolver looks at them last.
public struct DotEnvFile: Sendable, Hashable {
  public var values: [String: String]
  /// Lines that are not `KEY=VALUE` (1-based). Skipped, as python-dotenv does, but reported.
  public var skippedLines: [Int]

  public init(values: [String: String] = [:], skippedLines: [Int] = []) {
    self.values = values
    self.skippedLines = skippedLines
  }

  /// Reads `.env` in `directory`; an empty file's worth when there is none.
  public static func load(
    directory: String = FileManager.default.currentDirectoryPath,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> DotEnvFile {
    let path = directory + "/.env"
    guard FileManager.default.fileExists(atPath: path) else { return DotEnvFile() }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return parse(String(decoding: data, as: UTF8.self), environment: environment)
  }

  public static func parse(_ text: String, environment: [String: String] = [:]) -> DotEnvFile {
    var parser = Parser(characters: Array(text), environment: environment)
    parser.run()
    return DotEnvFile(values: parser.values, skippedLines: parser.skippedLines)
  }

  private struct Parser {
    let characters: [Character]
    let environment: [String: String]
    var values: [String: String] = [:]
    var skippedLines: [Int] = []
    var index = 0
    var line = 1

    init(characters: [Character], environment: [String: String]) {
      self.characters = characters
      self.environment = environment
    }

    var current: Character? { index < characters.count ? characters[index] : nil }

    mutating func advance() {
      if characters[index].isNewline { line += 1 }
      index += 1
    }

    mutating func skipBlanks() {
      while let character = current, character == " " || character == "\t" { advance() }
    }

    /// Skips to the start of the next line.
    mutating func skipLine() {
      while let character = current, !character.isNewline { advance() }
      if current != nil { advance() }
    }

    mutating func run() {
      if current == "\u{FEFF}" { index += 1 }
      while current != nil {
        let startLine = line
        skipBlanks()
        guard let first = current else { break }
        if first.isNewline || first == "#" {
          skipLine()
          continue
        }
        if !entry() {
          skippedLines.append(startLine)
          skipLine()
        }
      }
    }

    /// One `KEY=VALUE`; false when the line is not one (the caller skips the rest of it).
    mutating func entry() -> Bool {
      var key = readKey()
      if key == "export", current == " " || current == "\t" {
        skipBlanks()
        key = readKey()
      }
      guard !key.isEmpty else { return false }
      skipBlanks()
      guard current == "=" else { return false }
      advance()
      skipBlanks()
      let value: String
      switch current {
      case "'":
        guard let quoted = readQuoted("'") else { return false }
        value = quoted
      case "\"":
        guard let quoted = readQuoted("\"") else { return false }
        value = expand(quoted)
      default:
        value = expand(readUnquoted())
      }
      // After a quoted value only blanks and a comment may follow.
      skipBlanks()
      if let character = current, !character.isNewline, character != "#" { return false }
      skipLine()
      values[key] = value
      return true
    }

    mutating func readKey() -> String {
      var key = ""
      while let character = current,
        character.isLetter || character.isNumber || character == "_" || character == "."
          || character == "-"
      {
        key.append(character)
        advance()
      }
      return key
    }

    /// The text up to the end of the line, without a ` #` comment or trailing blanks.
    mutating func readUnquoted() -> String {
      var value = ""
      while let character = current, !character.isNewline {
        if character == "#", value.isEmpty || value.last == " " || value.last == "\t" { break }
        value.append(character)
        advance()
      }
      while let last = value.last, last == " " || last == "\t" { value.removeLast() }
      return value
    }

    /// From an opening quote to its closing one, possibly across lines; nil when unterminated.
    mutating func readQuoted(_ quote: Character) -> String? {
      advance()
      var value = ""
      while let character = current {
        advance()
        if character == quote { return value }
        if character == "\\", let next = current {
          if quote == "'" {
            // Only `\'` and `\\` are escapes between single quotes.
            if next == "'" || next == "\\" {
              value.append(next)
              advance()
            } else {
              value.append(character)
            }
            continue
          }
          advance()
          switch next {
          case "n": value.append("\n")
          case "r": value.append("\r")
          case "t": value.append("\t")
          case "\"", "\\", "'": value.append(next)
          default:
            value.append(character)
            value.append(next)
          }
          continue
        }
        value.append(character)
      }
      return nil
    }

    /// `${NAME}` and `${NAME:-default}`; a lone `$` is kept, so passwords with `$` survive.
    func expand(_ text: String) -> String {
      guard text.contains("${") else { return text }
      var output = ""
      var rest = text[...]
      while let start = rest.range(of: "${") {
        output += rest[..<start.lowerBound]
        guard let close = rest[start.upperBound...].firstIndex(of: "}") else {
          rest = rest[start.lowerBound...]
          break
        }
        let body = rest[start.upperBound..<close]
        let name: Substring
        var fallback: Substring? = nil
        if let marker = body.range(of: ":-") {
          name = body[..<marker.lowerBound]
          fallback = body[marker.upperBound...]
        } else {
          name = body
        }
        output +=
          environment[String(name)] ?? values[String(name)] ?? fallback.map(String.init) ?? ""
        rest = rest[rest.index(after: close)...]
      }
      return output + rest
    }
  }
}
