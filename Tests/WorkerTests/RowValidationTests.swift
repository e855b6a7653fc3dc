import Foundation
import Store
import Testing
import Worker

/// Row-level rules of load-semantics §5 (and orphans, §6): an invalid row is not written, is
/// counted and reported with its line, and still protects its key from the soft-delete step.
@Suite struct RowValidationTests {
  static let header = CSVFile.usersHeader
  static let dates = CSVFile.datesValue

  /// Loads u1…u3 at t0, then `rows` as the users file at t1; returns t1's ledger entry.
  static func usersAfter(
    _ rows: [String], header: String = header, _ kind: TestDatabase.Kind
  ) throws -> (TestDatabase, LedgerEntry?) {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2", "u3"]))
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.lines(header, rows))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.count(.loaded) == 2)
    return (database, try entry(database, "users/\(Stamp.t1)"))
  }

  static func expectMessage(
    _ entry: LedgerEntry?, _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let message = entry?.message ?? ""
    for fragment in fragments {
      #expect(
        message.contains(fragment), "'\(fragment)' missing from: \(message)",
        sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: TestDatabase.available)
  func wrongFieldCountAndEmptyRequiredValues(_ kind: TestDatabase.Kind) throws {
    let (database, file) = try Self.usersAfter(
      [
        "u1,LMS1,student,Changed,u1@example.org,\(Self.dates),extra",  // line 2: 8 fields
        "u2,LMS1,student,,u2@example.org,\(Self.dates)",  // line 3: Name empty
        "u3,LMS1,student,\"\",u3@example.org,\(Self.dates)",  // line 4: quoted empty is empty
        "u4,LMS1,student,Four,u4@example.org,\(Self.dates)",
        "u5,LMS1",  // line 6: 2 fields
        ",LMS1,student,Six,u6@example.org,\(Self.dates)",  // line 7: key empty
      ], kind)
    #expect(file?.counts.rowsRead == 6)
    #expect(file?.counts.invalid == 5)
    #expect(file?.counts.inserted == 1)
    #expect(file?.counts.softDeleted == 0, "invalid rows keep their keys alive")
    Self.expectMessage(
      file,
      [
        "line 2: 8 fields where the header has 7", "line 3, column Name: a required value is empty",
        "line 4, column Name", "line 6: 2 fields", "line 7, column SourceSystemIdentifier",
      ])
    // Invalid rows are not written: u1 keeps its old name; none is deleted.
    #expect(try database.value("LMSUser", "Name", key: "u1") == "User u1")
    #expect(try database.liveKeys("LMSUser") == ["u1", "u2", "u3", "u4"])
  }

  @Test(arguments: TestDatabase.available)
  func badTimestampsDatesAndIntegers(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.lines(
        "SourceSystemIdentifier,SourceSystem,Title,AssignmentCategory,LMSSectionSourceSystemIdentifier,MaxPoints,DueDateTime,\(CSVFile.dates)",
        [
          "a1,LMS1,T,H,s1,10,2021-02-30 10:00,\(Self.dates)",  // 2: no 30 February
          "a2,LMS1,T,H,s1,1e3,,\(Self.dates)",  // 3: not an integer
          "a3,LMS1,T,H,s1,2147483648,,\(Self.dates)",  // 4: out of range
          "a4,LMS1,T,H,s1,-2147483648,,\(Self.dates)",  // valid: the minimum
          "a5,LMS1,T,H,s1,2147483647.4,,\(Self.dates)",  // valid, rounded
          "a6,LMS1,T,H,s1,2147483647.5,,\(Self.dates)",  // 7: rounds out of range
          "a7,LMS1,T,H,s1, 8.5 ,2021-02-28   10:00,\(Self.dates)",  // valid, 9, rounded
          "a8,LMS1,T,H,s1,8.0,25:00,\(Self.dates)",  // 9: bad time
          "a9,LMS1,T,H,s1,-0.5,,2021-01-01 00:00:00,yesterday",  // 10: LastModifiedDate
          "a10,LMS1,T,H,s1,8.04,,\(Self.dates)",  // valid, 8, rounded
        ]))
    try tree.write(
      "P1", "section=s1/attendance-events/\(Stamp.t0)",
      CSVFile.lines(
        "SourceSystemIdentifier,SourceSystem,LMSUserSourceSystemIdentifier,LMSSectionSourceSystemIdentifier,EventDate,AttendanceStatus,\(CSVFile.dates)",
        [
          "ev1,LMS1,u1,s1,2021-13-01,Present,\(Self.dates)",  // 2: no month 13
          "ev2,LMS1,u1,s1,2021-01-05 23:59:59,Present,\(Self.dates)",  // valid: date part kept
          "ev3,LMS1,u2,s1,1/6/2021,Present,\(Self.dates)",  // valid: month first
        ]))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.exitCode == 3)
    let assignments = try entry(database, "section=s1/assignments/\(Stamp.t0)")
    #expect(assignments?.counts.rowsRead == 10)
    #expect(assignments?.counts.invalid == 6)
    #expect(assignments?.counts.rounded == 3)
    Self.expectMessage(
      assignments,
      [
        "line 2, column DueDateTime: '2021-02-30 10:00'", "line 3, column MaxPoints: '1e3'",
        "line 4, column MaxPoints: '2147483648' is outside", "line 7, column MaxPoints",
        "line 9, column DueDateTime: '25:00'", "line 10, column LastModifiedDate: 'yesterday'",
      ])
    #expect(try database.liveKeys("Assignment") == ["a10", "a4", "a5", "a7"])
    #expect(try database.value("Assignment", "MaxPoints", key: "a4") == "-2147483648")
    #expect(try database.value("Assignment", "MaxPoints", key: "a5") == "2147483647")
    #expect(try database.value("Assignment", "MaxPoints", key: "a7") == "9")
    #expect(try database.value("Assignment", "MaxPoints", key: "a10") == "8")
    #expect(
      sameInstant(try database.value("Assignment", "DueDateTime", key: "a7"), "2021-02-28 10:00:00")
    )

    let events = try entry(database, "section=s1/attendance-events/\(Stamp.t0)")
    #expect(events?.counts.invalid == 1 && events?.counts.inserted == 2)
    Self.expectMessage(events, ["line 2, column EventDate: '2021-13-01' is not a date"])
    #expect(try database.value("LMSUserAttendanceEvent", "EventDate", key: "ev2") == "2021-01-05")
    #expect(try database.value("LMSUserAttendanceEvent", "EventDate", key: "ev3") == "2021-01-06")
  }

  @Test(arguments: TestDatabase.available)
  func textLengthsCountUTF16UnitsAndDescriptionsAreCut(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let emoji30 = String(repeating: "😀", count: 30)  // 60 UTF-16 units, 30 characters
    let emoji31 = String(repeating: "😀", count: 31)  // 62 units
    let accents60 = String(repeating: "é", count: 60)  // 120 bytes, 60 units
    try tree.write(
      "P1", "users/\(Stamp.t0)",
      CSVFile.lines(
        Self.header,
        [
          "u1,LMS1,\(emoji30),A,a@x,\(Self.dates)",
          "u2,LMS1,\(emoji31),B,b@x,\(Self.dates)",  // line 3: too long
          "u3,LMS1,\(accents60),C,c@x,\(Self.dates)",
          "u4,LMS1,\(String(repeating: "r", count: 61)),D,d@x,\(Self.dates)",  // line 5: too long
          "u5,LMS1,student,\(String(repeating: "n", count: 255)),e@x,\(Self.dates)",
          "u6,LMS1,student,\(String(repeating: "n", count: 256)),e@x,\(Self.dates)",  // line 7
        ]))
    try tree.write("P1", "sections/\(Stamp.t0)", CSVFile.sections(["s1"]))
    let long = String(repeating: "d", count: 1100)
    let edge = String(repeating: "d", count: 1023) + "😀tail"  // the emoji would be units 1024–1025
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.lines(
        "SourceSystemIdentifier,SourceSystem,Title,AssignmentCategory,AssignmentDescription,LMSSectionSourceSystemIdentifier,\(CSVFile.dates)",
        [
          "a1,LMS1,T,H,\(long),s1,\(Self.dates)",
          "a2,LMS1,T,H,\(edge),s1,\(Self.dates)",
          "a3,LMS1,T,\(String(repeating: "c", count: 61)),ok,s1,\(Self.dates)",  // line 4
        ]))
    _ = try load(database, provider: "P1", in: tree)
    let users = try entry(database, "users/\(Stamp.t0)")
    #expect(users?.counts.invalid == 3 && users?.counts.inserted == 3)
    Self.expectMessage(
      users,
      [
        "line 3, column UserRole: value is 62 characters long, more than 60",
        "line 5, column UserRole: value is 61", "line 7, column Name: value is 256",
      ])
    #expect(try database.value("LMSUser", "UserRole", key: "u1") == emoji30)
    #expect(try database.value("LMSUser", "UserRole", key: "u3") == accents60)
    let assignments = try entry(database, "section=s1/assignments/\(Stamp.t0)")
    #expect(assignments?.counts.invalid == 1 && assignments?.counts.inserted == 2)
    Self.expectMessage(assignments, ["line 4, column AssignmentCategory"])
    #expect(
      try database.value("Assignment", "AssignmentDescription", key: "a1")
        == String(long.prefix(1024)))
    #expect(
      try database.value("Assignment", "AssignmentDescription", key: "a2")
        == String(edge.prefix(1023)))
  }

  @Test(arguments: TestDatabase.available)
  func parentsMustMatchTheDirectory(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s1", [("a1", "x")]))
    try tree.write(
      "P1", "section=s2/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s2", [("b1", "x")]))
    try tree.write(
      "P1", "section=s1/section-associations/\(Stamp.t0)",
      CSVFile.associations(section: "s1", [("e1", "u1")]))
    try tree.write(
      "P1", "section=s2/section-associations/\(Stamp.t0)",
      CSVFile.associations(section: "s2", [("f1", "u1")]))
    _ = try load(database, provider: "P1", in: tree)

    // An assignment naming s2 inside section=s1; a submission naming b1 inside assignment=a1;
    // a grade whose association is s2's inside section=s1.
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t1)",
      CSVFile.lines(
        CSVFile.assignmentsHeader,
        [
          "a1,LMS1,Title a1,Homework,s1,x,\(Self.dates)",
          "b1,LMS1,Moved,Homework,s2,x,\(Self.dates)",
        ]))
    try tree.write(
      "P1", "section=s1/assignment=a1/submissions/\(Stamp.t1)",
      CSVFile.submissions(assignment: "a1", [("sub1", "u1", "1", "")])
        + "sub2,LMS1,b1,u1,1,,\(Self.dates)\n")
    try tree.write(
      "P1", "section=s1/grades/\(Stamp.t1)",
      CSVFile.grades([("g1", "e1", "A"), ("g2", "f1", "B")]))
    _ = try load(database, provider: "P1", in: tree)
    let assignments = try entry(database, "section=s1/assignments/\(Stamp.t1)")
    #expect(assignments?.counts.invalid == 1 && assignments?.counts.unchanged == 1)
    Self.expectMessage(
      assignments,
      [
        "line 3, column LMSSectionSourceSystemIdentifier: 's2' is another section than the directory's (s1)"
      ])
    #expect(try database.value("Assignment", "Title", key: "b1") == "Title b1")
    let submissions = try entry(database, "section=s1/assignment=a1/submissions/\(Stamp.t1)")
    #expect(submissions?.counts.invalid == 1 && submissions?.counts.inserted == 1)
    Self.expectMessage(submissions, ["line 3, column AssignmentSourceSystemIdentifier: 'b1'"])
    let grades = try entry(database, "section=s1/grades/\(Stamp.t1)")
    #expect(grades?.counts.invalid == 1 && grades?.counts.inserted == 1)
    Self.expectMessage(
      grades,
      [
        "line 3, column LMSUserLMSSectionAssociationSourceSystemIdentifier: association 'f1' belongs to another section"
      ])
    #expect(try database.liveKeys("LMSGrade") == ["g1"])
  }

  @Test(arguments: TestDatabase.available)
  func duplicateKeysInvalidateEveryRowAndProtectTheStoredRow(_ kind: TestDatabase.Kind) throws {
    let (database, file) = try Self.usersAfter(
      [
        CSVFile.userRow("u1"),
        CSVFile.userRow("u2", name: "First twin"),  // line 3
        CSVFile.userRow("u4"),
        CSVFile.userRow("u2", name: "Second twin"),  // line 5
      ], kind)
    #expect(file?.counts.rowsRead == 4)
    #expect(file?.counts.invalid == 2)
    #expect(file?.counts.inserted == 1 && file?.counts.unchanged == 1)
    #expect(file?.counts.softDeleted == 1)  // u3 only
    Self.expectMessage(
      file,
      [
        "line 3, column SourceSystemIdentifier: 'u2' appears more than once",
        "line 5, column SourceSystemIdentifier: 'u2' appears more than once",
      ])
    #expect(try database.isDeleted("LMSUser", key: "u2") == false)
    #expect(try database.value("LMSUser", "Name", key: "u2") == "User u2")
    #expect(try database.liveKeys("LMSUser") == ["u1", "u2", "u4"])
  }

  @Test(arguments: TestDatabase.available)
  func orphansAreCountedNotWrittenAndKeepTheirKeys(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write(
      "P1", "section=s1/section-associations/\(Stamp.t0)",
      CSVFile.associations(section: "s1", [("e1", "u1"), ("e2", "u2")]))
    _ = try load(database, provider: "P1", in: tree)
    let userID = try database.value("LMSUserLMSSectionAssociation", "LMSUserIdentifier", key: "e2")

    try tree.write(
      "P1", "section=s1/section-associations/\(Stamp.t1)",
      CSVFile.associations(section: "s1", [("e1", "u1"), ("e2", "ghost"), ("e3", "nobody")]))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.exitCode == 0, "orphans alone do not fail a run")
    let file = try entry(database, "section=s1/section-associations/\(Stamp.t1)")
    #expect(file?.outcome == .loaded)
    #expect(file?.counts.orphans == 2 && file?.counts.invalid == 0)
    #expect(
      file?.counts.unchanged == 1 && file?.counts.inserted == 0 && file?.counts.softDeleted == 0)
    Self.expectMessage(
      file,
      [
        "line 3, orphan: column LMSUserSourceSystemIdentifier: 'ghost' not found",
        "line 4, orphan: column LMSUserSourceSystemIdentifier: 'nobody' not found",
      ])
    // e2 is present in the file, so not deleted, and not rewritten to a missing user.
    #expect(try database.isDeleted("LMSUserLMSSectionAssociation", key: "e2") == false)
    #expect(
      try database.value("LMSUserLMSSectionAssociation", "LMSUserIdentifier", key: "e2") == userID)
    #expect(try database.isDeleted("LMSUserLMSSectionAssociation", key: "e3") == nil)

    // A soft-deleted parent is still a parent.
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(["u1", "u3", "u4"]))
    try tree.write(
      "P1", "section=s1/section-associations/\(Stamp.t2)",
      CSVFile.associations(section: "s1", [("e1", "u1"), ("e2", "u2")]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.isDeleted("LMSUser", key: "u2") == true)
    #expect(try entry(database, "section=s1/section-associations/\(Stamp.t2)")?.counts.orphans == 0)
  }

  /// The Ed-Fi integration trees reference users no file of theirs holds: loaded alone, orphans.
  @Test(arguments: TestDatabase.available)
  func edFiIntegrationTreeWithoutUsersGivesOrphans(_ kind: TestDatabase.Kind) throws {
    let source =
      "/work/shared/fixtures/lms-toolkit-sample-out/src/lms-ds-loader/tests_integration_mssql/e2e_section_associations/data"
    guard FileManager.default.fileExists(atPath: source) else {
      Issue.record("fixture missing: \(source)")
      return
    }
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.copy(source, as: "BestLMS")
    let summary = try load(database, provider: "BestLMS", in: tree)
    #expect(summary.count(.loaded) == 2)
    #expect(summary.rows.orphans == 1 && summary.rows.inserted == 1)
    #expect(try database.count("LMSUserLMSSectionAssociation") == 0)
    let file = try entry(database, "section=B098765/section-associations/2020-09-18-15-04-24.csv")
    Self.expectMessage(file, ["line 2, orphan", "'U123456' not found"])
  }

  @Test(arguments: TestDatabase.available)
  func blankLinesAreSkippedAndLineNumbersStayPhysical(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let text =
      "\u{FEFF}" + Self.header + "\r\n\r\n" + CSVFile.userRow("u1") + "\r\n   \r\n\t\r\n"
      + "u2,LMS1,student,\"Multi\nline\",b@x,\(Self.dates)\r\n\r\n"
      + "u3,LMS1,student,,c@x,\(Self.dates)\r\n\r\n"  // line 9: Name empty
    try tree.write("P1", "users/\(Stamp.t0)", text)
    _ = try load(database, provider: "P1", in: tree)
    let file = try entry(database, "users/\(Stamp.t0)")
    #expect(file?.counts.rowsRead == 3)
    #expect(file?.counts.inserted == 2 && file?.counts.invalid == 1)
    Self.expectMessage(file, ["line 9, column Name"])
    #expect(try database.value("LMSUser", "Name", key: "u2") == "Multi\nline")
  }

  @Test(arguments: TestDatabase.available)
  func messageListsOnlyTheFirstProblemsButCountsAll(_ kind: TestDatabase.Kind) throws {
    let rows = (1...30).map { "v\($0),LMS1,student,,x@x,\(Self.dates)" } + [CSVFile.userRow("u1")]
    let (_, file) = try Self.usersAfter(rows, kind)
    #expect(file?.counts.invalid == 30)
    let lines = file?.message?.split(separator: "\n") ?? []
    #expect(lines.count == 20)
    #expect(lines.first?.hasPrefix("line 2,") == true && lines.last?.hasPrefix("line 21,") == true)
  }
}
