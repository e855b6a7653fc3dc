/// Why a CSV file cannot be read. Any of these rejects the whole file (load-semantics §4), so the
/// reader stops at the first one instead of trying to resynchronise.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Kind: String, Sendable, Hashable {
    /// The bytes are not UTF-8 (bad sequence, overlong form, surrogate, above U+10FFFF, or a
    /// sequence cut short by the end of the file).
    case invalidUTF8 = "invalid UTF-8"
    /// A NUL character: legal UTF-8, but PostgreSQL text cannot hold it.
    case nulCharacter = "NUL character"
    /// A quoted field still open at the end of the file.
    case unterminatedQuote = "unterminated quoted field"
    /// Something other than `,` or a line end right after a closing quote.
    case characterAfterClosingQuote = "character after closing quote"
    /// One row longer than the reader's limit (a file with no line break, a runaway quote).
    case recordTooLong = "row too long"
    /// The file could not be opened or read.
    case io = "I/O error"
  }

  public let kind: Kind
  /// 1-based physical line of the offending character; 0 when no position applies (I/O).
  public let line: Int
  /// 1-based character (Unicode scalar) column in that physical line; 0 when no position applies.
  public let column: Int
  public let detail: String

  public init(kind: Kind, line: Int, column: Int, detail: String) {
    self.kind = kind
    self.line = line
    self.column = column
    self.detail = detail
  }

  public var description: String {
    let position = line > 0 ? "line \(line), column \(column): " : ""
    return detail.isEmpty ? "\(position)\(kind.rawValue)" : "\(position)\(kind.rawValue): \(detail)"
  }
}
