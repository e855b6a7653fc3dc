import Messages

/// A reference from a row to its parent, written in the file as the parent's SourceSystemIdentifier
/// and stored as the parent's integer identifier.
public struct ParentSpec: Sendable, Hashable {
  /// The CSV column holding the parent's SourceSystemIdentifier.
  public let csvColumn: String
  /// Other header names accepted when `csvColumn` is absent.
  public let aliases: [String]
  /// The integer column of the child table.
  public let column: String
  /// The table the parent lives in.
  public let parent: ResourceKind
  /// A row without this parent is invalid; an optional parent left empty stores NULL.
  public let required: Bool
  /// The directory id the value must equal, when the file's directory names one.
  public let mustMatchDirectory: DirectoryID?

  public enum DirectoryID: Sendable, Hashable {
    case section
    case assignment
  }

  public init(
    csvColumn: String, aliases: [String] = [], column: String, parent: ResourceKind,
    required: Bool = true, mustMatchDirectory: DirectoryID? = nil
  ) {
    self.csvColumn = csvColumn
    self.aliases = aliases
    self.column = column
    self.parent = parent
    self.required = required
    self.mustMatchDirectory = mustMatchDirectory
  }
}
