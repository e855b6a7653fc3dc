import ExtractorTree
import Foundation
import Logging
import Store
import Testing
import UDM
import Worker

// Small CSV builders and queries shared by the load-semantics tests (Departures, Rejection,
// RowValidation, Order, Adoption, LargeFile). Every builder writes the minimal required header
// unless a test passes its own.

/// File names in time order.
enum Stamp {
  static let t0 = "2021-01-01-00-00-00.csv"
  static let t1 = "2021-01-02-00-00-00.csv"
  static let t2 = "2021-01-03-00-00-00.csv"
  static let t3 = "2021-01-04-00-00-00.csv"
  static let t4 = "2021-01-05-00-00-00.csv"
  static let t5 = "2021-01-06-00-00-00.csv"
}

enum CSVFile {
  static let dates = "CreateDate,LastModifiedDate"
  static let datesValue = "2021-01-01 00:00:00,2021-01-01 00:00:00"

  static func lines(_ header: String, _ rows: [String]) -> String {
    ([header] + rows).joined(separator: "\n") + "\n"
  }

  static let usersHeader = "SourceSystemIdentifier,SourceSystem,UserRole,Name,EmailAddress,\(dates)"
  static func userRow(_ id: String, name: String? = nil, source: String = "LMS1") -> String {
    "\(id),\(source),student,\(name ?? "User \(id)"),\(id)@example.org,\(datesValue)"
  }
  static func users(_ ids: [String], source: String = "LMS1") -> String {
    lines(usersHeader, ids.map { userRow($0, source: source) })
  }

  static let sectionsHeader = "SourceSystemIdentifier,SourceSystem,Title,\(dates)"
  static func sectionRow(_ id: String, title: String? = nil, source: String = "LMS1") -> String {
    "\(id),\(source),\(title ?? "Section \(id)"),\(datesValue)"
  }
  static func sections(_ ids: [String], source: String = "LMS1") -> String {
    lines(sectionsHeader, ids.map { sectionRow($0, source: source) })
  }

  static let associationsHeader =
    "SourceSystemIdentifier,SourceSystem,EnrollmentStatus,LMSUserSourceSystemIdentifier,LMSSectionSourceSystemIdentifier,\(dates)"
  /// `rows`: (association id, user id).
  static func associations(section: String, _ rows: [(String, String)], source: String = "LMS1")
    -> String
  {
    lines(
      associationsHeader,
      rows.map { "\($0.0),\(source),Active,\($0.1),\(section),\(datesValue)" })
  }

  static let assignmentsHeader =
    "SourceSystemIdentifier,SourceSystem,Title,AssignmentCategory,LMSSectionSourceSystemIdentifier,SubmissionType,\(dates)"
  /// `rows`: (assignment id, SubmissionType field as written in the CSV).
  static func assignments(section: String, _ rows: [(String, String)], source: String = "LMS1")
    -> String
  {
    lines(
      assignmentsHeader,
      rows.map { "\($0.0),\(source),Title \($0.0),Homework,\(section),\($0.1),\(datesValue)" })
  }

  static let submissionsHeader =
    "SourceSystemIdentifier,SourceSystem,AssignmentSourceSystemIdentifier,LMSUserSourceSystemIdentifier,EarnedPoints,SubmissionDateTime,\(dates)"
  /// `rows`: (submission id, user id, EarnedPoints, SubmissionDateTime).
  static func submissions(
    assignment: String, _ rows: [(String, String, String, String)], source: String = "LMS1"
  ) -> String {
    lines(
      submissionsHeader,
      rows.map { "\($0.0),\(source),\(assignment),\($0.1),\($0.2),\($0.3),\(datesValue)" })
  }

  static let gradesHeader =
    "SourceSystemIdentifier,SourceSystem,Grade,GradeType,LMSUserLMSSectionAssociationSourceSystemIdentifier,\(dates)"
  /// `rows`: (grade id, association id, grade).
  static func grades(_ rows: [(String, String, String)], source: String = "LMS1") -> String {
    lines(gradesHeader, rows.map { "\($0.0),\(source),\($0.2),Current,\($0.1),\(datesValue)" })
  }

  static let systemActivitiesHeader =
    "SourceSystemIdentifier,SourceSystem,LMSUserSourceSystemIdentifier,ActivityType,ActivityDateTime,ActivityStatus,\(dates)"
  /// `rows`: (activity id, user id, status).
  static func systemActivities(_ rows: [(String, String, String)], source: String = "LMS1")
    -> String
  {
    lines(
      systemActivitiesHeader,
      rows.map { "\($0.0),\(source),\($0.1),sign-in,2021-01-01 10:00:00,\($0.2),\(datesValue)" })
  }
}

extension TreeBuilder {
  /// Users u1…u`users` and sections s1…s`sections` of SourceSystem LMS1 at `Stamp.t0`.
  func seed(_ provider: String, users: Int = 4, sections: Int = 2, source: String = "LMS1") throws {
    try write(
      provider, "users/\(Stamp.t0)", CSVFile.users((1...users).map { "u\($0)" }, source: source))
    try write(
      provider, "sections/\(Stamp.t0)",
      CSVFile.sections((1...sections).map { "s\($0)" }, source: source))
  }
}

extension TestDatabase {
  /// One column of the row with `key` (as text; NULL as nil). Fails the test when no row matches.
  func value(
    _ table: String, _ column: String, key: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String? {
    let rows = try connection.query(
      "SELECT \(column) FROM \(self.table(table)) WHERE SourceSystemIdentifier = $1", [.text(key)])
    #expect(rows.count == 1, "\(table) row '\(key)'", sourceLocation: sourceLocation)
    return rows.first?.text(0)
  }

  /// Whether the row with `key` is soft-deleted; nil when there is no such row.
  func isDeleted(_ table: String, key: String) throws -> Bool? {
    let rows = try connection.query(
      "SELECT CASE WHEN DeletedAt IS NULL THEN 0 ELSE 1 END FROM \(self.table(table)) WHERE SourceSystemIdentifier = $1",
      [.text(key)])
    return rows.first.map { $0.int(0) == 1 }
  }

  /// Keys of a table's live rows, sorted.
  func liveKeys(_ table: String) throws -> [String] {
    try connection.query(
      "SELECT SourceSystemIdentifier FROM \(self.table(table)) WHERE DeletedAt IS NULL ORDER BY SourceSystemIdentifier"
    ).compactMap { $0.text(0) }
  }

  /// Submission types of an assignment: type → live.
  func submissionTypes(assignment key: String) throws -> [String: Bool] {
    var types: [String: Bool] = [:]
    for row in try connection.query(
      """
      SELECT x.SubmissionType, CASE WHEN x.DeletedAt IS NULL THEN 1 ELSE 0 END \
      FROM \(table("AssignmentSubmissionType")) AS x JOIN \(table("Assignment")) AS a \
      ON a.AssignmentIdentifier = x.AssignmentIdentifier WHERE a.SourceSystemIdentifier = $1
      """, [.text(key)])
    {
      types[row.text(0) ?? ""] = row.int(1) == 1
    }
    return types
  }

  /// Every LMS table's `state`, for before/after comparisons.
  static let lmsTables = [
    "LMSUser", "LMSSection", "LMSUserLMSSectionAssociation", "Assignment",
    "AssignmentSubmissionType", "AssignmentSubmission", "LMSUserAttendanceEvent",
    "LMSSectionActivity", "LMSSystemActivity", "LMSGrade",
  ]

  func allStates() throws -> [String: [[String]]] {
    var states: [String: [[String]]] = [:]
    for table in Self.lmsTables {
      states[table] =
        try table == "AssignmentSubmissionType"
        ? dump(table, orderBy: "AssignmentIdentifier, SubmissionType")
        : dump(table)
    }
    return states
  }

  /// A second session on the same database.
  func openAnotherConnection() throws -> any SQLConnection {
    try DatabaseConnector.open(location)
  }
}

/// The ledger entry of one relative path (the last arrival), failing the test when there is none.
func entry(
  _ database: TestDatabase, _ path: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> LedgerEntry? {
  let found = try ledger(database).last { $0.relativePath == path }
  #expect(found != nil, "no ledger entry for \(path)", sourceLocation: sourceLocation)
  return found
}

/// Two timestamps as instants (canonical text differs between dialects only in trailing zeros).
func sameInstant(_ a: String?, _ b: String) -> Bool {
  guard let a, let left = LMSTimestamp(a), let right = LMSTimestamp(b) else { return false }
  return left == right
}

/// Runs `lmsds load`'s pipeline on another session (a new process has a fresh one).
func load(
  connection: any SQLConnection, _ roots: [SourceRoot], options: ApplyOptions = ApplyOptions(),
  filesPerTransaction: Int = 500
) throws -> LoadSummary {
  var logger = Logger(label: "test")
  logger.logLevel = .critical
  return try EmbeddedLoad(
    connection: connection, logger: logger, options: options, settleSeconds: 0,
    filesPerTransaction: filesPerTransaction
  ).run(roots)
}
