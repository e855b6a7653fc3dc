/// The nine kinds of LMS-UDM file, in the order a provider's files are applied (parents first).
public enum ResourceKind: String, CaseIterable, Sendable, Codable, Hashable {
  case users
  case sections
  case sectionAssociations = "section-associations"
  case assignments
  case submissions
  case attendanceEvents = "attendance-events"
  case sectionActivities = "section-activities"
  case grades
  case systemActivities = "system-activities"

  /// Position in the apply order of load-semantics §3.
  public var rank: Int { Self.allCases.firstIndex(of: self)! }

  /// The directory that holds this resource's files, below the root or below its section / assignment.
  public var directoryName: String { rawValue }

  /// How a file of this kind is scoped: which directory ids it speaks for.
  public var scopeKind: ScopeKind {
    switch self {
    case .users, .sections: return .provider
    case .sectionAssociations, .assignments, .attendanceEvents, .sectionActivities, .grades:
      return .section
    case .submissions: return .assignment
    case .systemActivities: return .incremental
    }
  }
}

/// What rows a file of a resource speaks for (load-semantics §7).
public enum ScopeKind: Sendable, Hashable {
  /// Every row of the table for the file's SourceSystem.
  case provider
  /// The rows of the section named by the directory.
  case section
  /// The rows of the assignment named by the directory.
  case assignment
  /// No rows: the file only adds or updates.
  case incremental
}
