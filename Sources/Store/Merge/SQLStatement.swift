/// SQL text with its parameters, numbered as they are bound.
public struct SQLStatement: Sendable, Hashable {
  public var sql: String
  public var parameters: [SQLValue]

  public init(_ sql: String = "", _ parameters: [SQLValue] = []) {
    self.sql = sql
    self.parameters = parameters
  }

  /// Adds a parameter and returns its placeholder (`$N`).
  public mutating func bind(_ value: SQLValue) -> String {
    parameters.append(value)
    return "$\(parameters.count)"
  }
}

extension SQLConnection {
  @discardableResult
  public func execute(_ statement: SQLStatement) throws -> Int {
    try execute(statement.sql, statement.parameters)
  }

  public func query(_ statement: SQLStatement) throws -> [SQLRow] {
    try query(statement.sql, statement.parameters)
  }
}
