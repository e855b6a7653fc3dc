import ExtractorTree
import Foundation
import LMSDSTestSupport
import Messages
import Store
import Testing
import Worker

/// A database the Ed-Fi loader built and filled, adopted by `migrate` and then loaded by us: the
/// rows it holds keep their identifiers and Ed-Fi ids and are merged in place (load-semantics §6,
/// lms-udm §4).
@Suite struct AdoptionLoadTests {
  static let studentID = "0b7a6f4e-3c2d-4e5f-8a9b-1c2d3e4f5a6b"
  static let sectionID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"

  @Test(arguments: TestDatabase.available.filter { $0 == .postgresql })
  func preExistingRowsAreMergedInPlace(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind, migrated: false)
    let connection = database.connection
    // The Ed-Fi loader's schema: our scripts 0001–0010 reproduce it; its journal names them.
    let edFiScripts = Migration.embedded(for: .postgresql).filter { $0.name < "1000" }
    #expect(edFiScripts.count == 10)
    for script in edFiScripts { try connection.executeScript(script.sql) }
    for script in edFiScripts {
      try connection.execute(
        "INSERT INTO lms.MigrationJournal (Script) VALUES ($1)", [.text(script.name)])
    }
    // Rows as the Ed-Fi loader left them, one user mapped by the Harmonizer.
    try connection.executeScript(
      """
      INSERT INTO lms.LMSUser (SourceSystemIdentifier, SourceSystem, UserRole, LocalUserIdentifier,
        SISUserIdentifier, Name, EmailAddress, EdFiStudentId, CreateDate, LastModifiedDate)
      VALUES ('100032890', 'BestLMS', 'student', 'mary.archer', '604863', 'Mary Archer-Old',
        'Mary.Archer@studentgps.org', '\(Self.studentID)', '2020-08-20 12:34:50', '2020-08-20 12:34:50'),
      ('100032891', 'BestLMS', 'student', 'kyle.hughes', '604874', 'Kyle Hughes',
        'Kyle.Hughes@studentgps.org', NULL, '2020-08-20 12:34:50', '2020-08-20 12:34:50'),
      ('legacy-1', 'BestLMS', 'student', NULL, NULL, 'Gone Student', 'gone@x', NULL,
        '2020-01-01', '2020-01-01'),
      ('c1', 'Canvas', 'student', NULL, NULL, 'Other LMS', 'c@x', NULL, '2020-01-01', '2020-01-01');
      INSERT INTO lms.LMSUser (SourceSystemIdentifier, SourceSystem, UserRole, Name, EmailAddress,
        CreateDate, LastModifiedDate, DeletedAt)
      VALUES ('100032893', 'BestLMS', 'student', 'Was Deleted', 'd@x', '2020-01-01', '2020-01-01',
        '2020-09-01 08:00:00');
      INSERT INTO lms.LMSSection (SourceSystemIdentifier, SourceSystem, Title, EdFiSectionId,
        CreateDate, LastModifiedDate)
      VALUES ('123456780', 'BestLMS', 'ALG-1 (old)', '\(Self.sectionID)', '2020-08-20', '2020-08-20'),
      ('legacy-s', 'BestLMS', 'Gone Section', NULL, '2020-01-01', '2020-01-01');
      INSERT INTO lms.Assignment (SourceSystemIdentifier, SourceSystem, LMSSectionIdentifier, Title,
        AssignmentCategory, CreateDate, LastModifiedDate)
      SELECT '2942251001', 'BestLMS', LMSSectionIdentifier, 'Old title', 'Assignment',
        '2020-08-20', '2020-08-20' FROM lms.LMSSection WHERE SourceSystemIdentifier = '123456780';
      INSERT INTO lms.ProcessedFiles (FullPath, ResourceName, NumberOfRows)
      VALUES ('/old/root/users/2020-09-17-15-04-23.csv', 'users', 12);
      """)
    func ids(_ table: String, _ identity: String) throws -> [String: String] {
      var result: [String: String] = [:]
      for row in try connection.query(
        "SELECT SourceSystemIdentifier, \(identity) FROM lms.\(table)")
      {
        result[row.text(0) ?? ""] = row.text(1)
      }
      return result
    }
    let usersBefore = try ids("LMSUser", "LMSUserIdentifier")
    let sectionsBefore = try ids("LMSSection", "LMSSectionIdentifier")
    let assignmentBefore = try ids("Assignment", "AssignmentIdentifier")["2942251001"]

    let report = try MigrationRunner(dialect: .postgresql).migrate(connection)
    #expect(report.adopted.count == 10)
    #expect(report.applied.allSatisfy { $0 >= "1000" } && !report.applied.isEmpty)

    let summary = try load(database, [SourceRoot(provider: "BestLMS", path: sampleRoot)])
    #expect(summary.count(.loaded) == 21 && summary.count(.rejected) == 0)
    #expect(summary.rows.invalid == 0 && summary.rows.orphans == 0)

    // Kept identifiers and Ed-Fi ids; values now the newest snapshot's.
    let usersAfter = try ids("LMSUser", "LMSUserIdentifier")
    for key in ["100032890", "100032891", "100032893", "legacy-1", "c1"] {
      #expect(usersAfter[key] == usersBefore[key], "\(key) kept its identifier")
    }
    #expect(try database.value("LMSUser", "EdFiStudentId", key: "100032890") == Self.studentID)
    #expect(try database.value("LMSUser", "Name", key: "100032890") == "Mary Archer")
    #expect(try database.value("LMSUser", "CreateDate", key: "100032890") == "2020-08-20 12:34:56")
    #expect(try database.isDeleted("LMSUser", key: "100032893") == false, "restored")
    #expect(try database.isDeleted("LMSUser", key: "legacy-1") == true)
    #expect(try database.isDeleted("LMSUser", key: "c1") == false)
    #expect(try database.value("LMSUser", "Name", key: "c1") == "Other LMS")
    let sectionsAfter = try ids("LMSSection", "LMSSectionIdentifier")
    #expect(sectionsAfter["123456780"] == sectionsBefore["123456780"])
    #expect(try database.value("LMSSection", "EdFiSectionId", key: "123456780") == Self.sectionID)
    #expect(try database.value("LMSSection", "Title", key: "123456780") == "ALG-1")
    #expect(try database.isDeleted("LMSSection", key: "legacy-s") == true)
    #expect(try ids("Assignment", "AssignmentIdentifier")["2942251001"] == assignmentBefore)
    #expect(try database.value("Assignment", "Title", key: "2942251001") == "Algebra foundations")
    // The users' first file saw four live BestLMS rows; the restored one counts as restored.
    let firstUsers = try entry(database, "users/2020-09-17-15-04-23.csv")
    #expect(firstUsers?.counts.restored == 1 && firstUsers?.counts.softDeleted == 1)
    #expect(firstUsers?.counts.updated == 1 && firstUsers?.counts.unchanged == 1)

    // Nothing duplicated: the same rows as a fresh database loaded with the sample, plus the
    // Ed-Fi loader's extra rows.
    let fresh = try TestDatabase(.postgresql)
    _ = try load(fresh, [SourceRoot(provider: "BestLMS", path: sampleRoot)])
    for table in [
      "LMSUser", "LMSSection", "Assignment", "AssignmentSubmission", "LMSUserLMSSectionAssociation",
      "LMSGrade", "LMSSystemActivity",
    ] {
      let extras = ["LMSUser": 2, "LMSSection": 1][table] ?? 0
      #expect(try database.count(table) == fresh.count(table) + extras, "\(table)")
      #expect(
        try database.liveKeys(table).filter { $0 != "c1" } == fresh.liveKeys(table), "\(table)")
    }
    #expect(
      try database.count("AssignmentSubmissionType") == fresh.count("AssignmentSubmissionType"))
    #expect(try connection.scalar("SELECT COUNT(*) FROM lms.ProcessedFiles")?.int == 1)
  }
}
