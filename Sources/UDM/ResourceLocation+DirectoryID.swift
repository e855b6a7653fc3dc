import Messages

extension ResourceLocation {
  /// The id the file's directory gives for `directory` (`section=…` or `assignment=…`), which a
  /// parent naming that directory must equal.
  public func id(of directory: ParentSpec.DirectoryID) -> String? {
    switch directory {
    case .section: sectionID
    case .assignment: assignmentID
    }
  }
}
