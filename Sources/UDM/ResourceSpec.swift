import Messages

/// Everything the loader knows about one resource: its table, its columns, its parents.
public struct ResourceSpec: Sendable {
  public let kind: ResourceKind
  /// The LMS-DS table name as written in lms-udm §3 (PostgreSQL folds it to lower case).
  public let table: String
  /// The integer identity primary key.
  public let identityColumn: String
  /// Data columns stored as written (after typing), in table order; the key columns come first.
  public let columns: [ColumnSpec]
  /// Parent references, resolved to identifiers.
  public let parents: [ParentSpec]
  /// Assignments only: the `SubmissionType` list feeding `AssignmentSubmissionType`.
  public let hasSubmissionTypes: Bool

  public static let sourceSystemIdentifier = "SourceSystemIdentifier"
  public static let sourceSystem = "SourceSystem"
  public static let submissionTypeColumn = "SubmissionType"
  public static let submissionTypeMaxLength = 60

  public static func spec(for kind: ResourceKind) -> ResourceSpec {
    switch kind {
    case .users: return users
    case .sections: return sections
    case .sectionAssociations: return sectionAssociations
    case .assignments: return assignments
    case .submissions: return submissions
    case .attendanceEvents: return attendanceEvents
    case .sectionActivities: return sectionActivities
    case .grades: return grades
    case .systemActivities: return systemActivities
    }
  }

  public static let all: [ResourceSpec] = ResourceKind.allCases.map(spec(for:))

  /// Every header name this resource understands, canonical names first.
  public var knownHeaders: [String] {
    columns.map(\.name) + columns.flatMap(\.aliases) + parents.map(\.csvColumn)
      + parents.flatMap(\.aliases) + (hasSubmissionTypes ? [Self.submissionTypeColumn] : [])
  }

  // MARK: - The nine resources

  private static let key: [ColumnSpec] = [
    ColumnSpec(sourceSystemIdentifier, .text(maxLength: 255), required: true),
    ColumnSpec(sourceSystem, .text(maxLength: 255), required: true),
  ]
  private static let dates: [ColumnSpec] = [
    ColumnSpec("SourceCreateDate", .timestamp),
    ColumnSpec("SourceLastModifiedDate", .timestamp),
    ColumnSpec("CreateDate", .timestamp, required: true),
    ColumnSpec("LastModifiedDate", .timestamp, required: true),
  ]
  private static let activity: [ColumnSpec] = [
    ColumnSpec("ActivityType", .text(maxLength: 60), required: true),
    ColumnSpec("ActivityDateTime", .timestamp, required: true),
    ColumnSpec("ActivityStatus", .text(maxLength: 60), required: true),
    ColumnSpec("ParentSourceSystemIdentifier", .text(maxLength: 255)),
    ColumnSpec("ActivityTimeInMinutes", .integer),
  ]
  private static func user(aliases: [String] = []) -> ParentSpec {
    ParentSpec(
      csvColumn: "LMSUserSourceSystemIdentifier", aliases: aliases, column: "LMSUserIdentifier",
      parent: .users)
  }
  private static func section(aliases: [String] = [], required: Bool = true) -> ParentSpec {
    ParentSpec(
      csvColumn: "LMSSectionSourceSystemIdentifier", aliases: aliases,
      column: "LMSSectionIdentifier", parent: .sections, required: required,
      mustMatchDirectory: .section)
  }

  static let users = ResourceSpec(
    kind: .users, table: "LMSUser", identityColumn: "LMSUserIdentifier",
    columns: key + [
      ColumnSpec("UserRole", .text(maxLength: 60), required: true),
      ColumnSpec("SISUserIdentifier", .text(maxLength: 255)),
      ColumnSpec("LocalUserIdentifier", .text(maxLength: 255)),
      ColumnSpec("Name", .text(maxLength: 255), required: true),
      ColumnSpec("EmailAddress", .text(maxLength: 255), required: true),
    ] + dates,
    parents: [], hasSubmissionTypes: false)

  static let sections = ResourceSpec(
    kind: .sections, table: "LMSSection", identityColumn: "LMSSectionIdentifier",
    columns: key + [
      ColumnSpec("SISSectionIdentifier", .text(maxLength: 255)),
      ColumnSpec("Title", .text(maxLength: 255), required: true),
      ColumnSpec("SectionDescription", .text(maxLength: 1024)),
      ColumnSpec("Term", .text(maxLength: 60)),
      ColumnSpec("LMSSectionStatus", .text(maxLength: 60)),
    ] + dates,
    parents: [], hasSubmissionTypes: false)

  static let sectionAssociations = ResourceSpec(
    kind: .sectionAssociations, table: "LMSUserLMSSectionAssociation",
    identityColumn: "LMSUserLMSSectionAssociationIdentifier",
    columns: key + [ColumnSpec("EnrollmentStatus", .text(maxLength: 60), required: true)] + dates,
    parents: [section(), user()], hasSubmissionTypes: false)

  static let assignments = ResourceSpec(
    kind: .assignments, table: "Assignment", identityColumn: "AssignmentIdentifier",
    columns: key + [
      ColumnSpec("Title", .text(maxLength: 255), required: true),
      ColumnSpec("AssignmentCategory", .text(maxLength: 60), required: true),
      ColumnSpec("AssignmentDescription", .text(maxLength: 1024), truncates: true),
      ColumnSpec("StartDateTime", .timestamp),
      ColumnSpec("EndDateTime", .timestamp),
      ColumnSpec("DueDateTime", .timestamp),
      ColumnSpec("MaxPoints", .integer),
    ] + dates,
    parents: [section()], hasSubmissionTypes: true)

  static let submissions = ResourceSpec(
    kind: .submissions, table: "AssignmentSubmission",
    identityColumn: "AssignmentSubmissionIdentifier",
    columns: key + [
      ColumnSpec("SubmissionStatus", .text(maxLength: 255)),
      ColumnSpec("SubmissionDateTime", .timestamp),
      ColumnSpec("EarnedPoints", .integer),
      ColumnSpec("Grade", .text(maxLength: 20)),
    ] + dates,
    parents: [
      ParentSpec(
        csvColumn: "AssignmentSourceSystemIdentifier", column: "AssignmentIdentifier",
        parent: .assignments, mustMatchDirectory: .assignment),
      user(),
    ], hasSubmissionTypes: false)

  static let attendanceEvents = ResourceSpec(
    kind: .attendanceEvents, table: "LMSUserAttendanceEvent",
    identityColumn: "LMSUserAttendanceEventIdentifier",
    columns: key + [
      ColumnSpec("EventDate", .date, required: true),
      ColumnSpec("AttendanceStatus", .text(maxLength: 60), required: true),
    ] + dates,
    parents: [user(), section(required: false)], hasSubmissionTypes: false)

  static let sectionActivities = ResourceSpec(
    kind: .sectionActivities, table: "LMSSectionActivity",
    identityColumn: "LMSSectionActivityIdentifier",
    columns: key + activity + dates,
    parents: [
      section(aliases: ["LMSSectionIdentifier"]), user(aliases: ["LMSUserIdentifier"]),
    ], hasSubmissionTypes: false)

  static let systemActivities = ResourceSpec(
    kind: .systemActivities, table: "LMSSystemActivity",
    identityColumn: "LMSSystemActivityIdentifier",
    columns: key + activity + dates,
    parents: [user()], hasSubmissionTypes: false)

  static let grades = ResourceSpec(
    kind: .grades, table: "LMSGrade", identityColumn: "LMSGradeIdentifier",
    columns: key + [
      ColumnSpec("Grade", .text(maxLength: 20)),
      ColumnSpec("GradeType", .text(maxLength: 60)),
    ] + dates,
    parents: [
      ParentSpec(
        csvColumn: "LMSUserLMSSectionAssociationSourceSystemIdentifier",
        column: "LMSUserLMSSectionAssociationIdentifier", parent: .sectionAssociations)
    ], hasSubmissionTypes: false)
}
