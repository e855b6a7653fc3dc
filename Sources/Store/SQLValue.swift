/// A value sent to or read from a database.
public enum SQLValue: Sendable, Hashable, CustomStringConvertible {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)

  public var description: String {
    switch self {
    case .null: return "NULL"
    case .integer(let value): return String(value)
    case .real(let value): return String(value)
    case .text(let value): return value
    }
  }

  public var int: Int64? {
    switch self {
    case .integer(let value): return value
    case .real(let value): return Int64(value)
    case .text(let value): return Int64(value)
    case .null: return nil
    }
  }

  public var text: String? {
    switch self {
    case .null: return nil
    case .text(let value): return value
    default: return description
    }
  }

  public var isNull: Bool { self == .null }
}

/// One result row; columns by position.
public struct SQLRow: Sendable, Hashable {
  public var values: [SQLValue]

  public init(_ values: [SQLValue]) { self.values = values }

  public subscript(index: Int) -> SQLValue { values[index] }
  public func int(_ index: Int) -> Int64? { values[index].int }
  public func text(_ index: Int) -> String? { values[index].text }
}
