/// What one file's merge is about: its SourceSystem, its directory ids and the time it began.
public struct MergeContext: Sendable, Hashable {
  public let sourceSystem: String
  /// The UTC time the file's application began, canonical text; the `DeletedAt` it writes.
  public let startedAt: String
  /// `section=<id>` of the file's directory.
  public let sectionID: String?
  /// `assignment=<id>` of the file's directory.
  public let assignmentID: String?

  public init(sourceSystem: String, startedAt: String, sectionID: String?, assignmentID: String?) {
    self.sourceSystem = sourceSystem
    self.startedAt = startedAt
    self.sectionID = sectionID
    self.assignmentID = assignmentID
  }
}
