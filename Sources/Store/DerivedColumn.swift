/// A column a bulk writer has the database fill as each row is loaded, from the row's own values:
/// `expression` reads them through the connection's positional markers (`?1` is the first column
/// written). Only a dialect whose bulk path is a prepared INSERT can compute one (SQLite).
public struct DerivedColumn: Sendable, Hashable {
  public let name: String
  public let expression: String

  public init(name: String, expression: String) {
    self.name = name
    self.expression = expression
  }
}
