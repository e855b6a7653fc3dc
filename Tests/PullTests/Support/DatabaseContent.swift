import Foundation
import Store

/// The LMS tables of a SQLite database as sorted rows, without the columns that record when a
/// row was written (they differ between two loads of the same files by design).
enum DatabaseContent {
  static let tables = [
    "LMSUser", "LMSSection", "Assignment", "AssignmentSubmissionType",
    "LMSUserLMSSectionAssociation", "AssignmentSubmission", "LMSSectionActivity",
    "LMSSystemActivity", "LMSUserAttendanceEvent", "LMSGrade",
  ]
  static let loadTimeColumns: Set<String> = ["CreateDate", "LastModifiedDate"]

  static func rows(ofDatabase path: String) throws -> [String: [String]] {
    let connection = try DatabaseConnector.open(try DatabaseLocation(url: "sqlite:" + path))
    var content: [String: [String]] = [:]
    for table in tables {
      let columns = try connection.query("SELECT name FROM pragma_table_info('\(table)')")
        .compactMap { $0.text(0) }.filter { !loadTimeColumns.contains($0) }
        // When a row was deleted differs between loads; whether it was must not.
        .map { $0 == "DeletedAt" ? "DeletedAt IS NULL" : $0 }
      let rows = try connection.query("SELECT \(columns.joined(separator: ", ")) FROM \(table)")
      content[table] = rows.map { row in row.values.map(\.description).joined(separator: "|") }
        .sorted()
    }
    return content
  }
}
