/// One data column of a resource: its CSV header name, which is also its table column name.
public struct ColumnSpec: Sendable, Hashable {
  public let name: String
  public let type: ColumnType
  public let required: Bool
  /// Other header names accepted when `name` is absent (the Google Classroom extractor's).
  public let aliases: [String]
  /// Text longer than the column is cut instead of making the row invalid.
  public let truncates: Bool

  public init(
    _ name: String, _ type: ColumnType, required: Bool = false, aliases: [String] = [],
    truncates: Bool = false
  ) {
    self.name = name
    self.type = type
    self.required = required
    self.aliases = aliases
    self.truncates = truncates
  }
}
