import ExtractorTree
import Foundation
import LMSDSTestSupport
import Logging
import Messages
import Store
import Testing
import UDM
import Worker

/// One test per row of load-semantics §10: where we deliberately differ from the Ed-Fi loader.
@Suite struct DeparturesTests {
  // 1. A changed value under the same LastModifiedDate is updated: every column is compared.
  @Test(arguments: TestDatabase.available)
  func changedValueUnderTheSameLastModifiedDateIsUpdated(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let header = CSVFile.usersHeader
    try tree.write(
      "P1", "users/\(Stamp.t0)",
      CSVFile.lines(
        header,
        [
          CSVFile.userRow("u1", name: "Ann"), CSVFile.userRow("u2"),
        ]))
    _ = try load(database, provider: "P1", in: tree)
    let id = try database.value("LMSUser", "LMSUserIdentifier", key: "u1")

    try tree.write(
      "P1", "users/\(Stamp.t1)",
      CSVFile.lines(
        header,
        [
          CSVFile.userRow("u1", name: "Anne"), CSVFile.userRow("u2"),
        ]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.value("LMSUser", "Name", key: "u1") == "Anne")
    #expect(try database.value("LMSUser", "LMSUserIdentifier", key: "u1") == id)
    let first = try entry(database, "users/\(Stamp.t1)")
    #expect(first?.counts.updated == 1 && first?.counts.unchanged == 1)

    // Text compares exactly: a trailing space alone is a change.
    try tree.write(
      "P1", "users/\(Stamp.t2)",
      CSVFile.lines(
        header,
        [
          CSVFile.userRow("u1", name: "Anne "), CSVFile.userRow("u2"),
        ]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.value("LMSUser", "Name", key: "u1") == "Anne ")
    #expect(try entry(database, "users/\(Stamp.t2)")?.counts.updated == 1)

    // Timestamps compare as timestamps: the same instant in another written form is no change.
    try tree.write(
      "P1", "users/\(Stamp.t3)",
      CSVFile.lines(
        header,
        [
          "u1,LMS1,student,Anne ,u1@example.org,1/1/2021 0:00,2021-01-01T00:00:00.000",
          "u2,LMS1,student,User u2,u2@example.org,2021-1-1,2021-01-01 00:00",
        ]))
    _ = try load(database, provider: "P1", in: tree)
    let same = try entry(database, "users/\(Stamp.t3)")
    #expect(same?.outcome == .loaded)
    #expect(same?.counts.unchanged == 2 && same?.counts.updated == 0)
    #expect(try database.count("LMSUser") == 2)
  }

  // 2. A soft-deleted row that reappears unchanged is restored, under the same identifier.
  @Test(arguments: TestDatabase.available)
  func softDeletedRowThatReappearsUnchangedIsRestored(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.write(
      "P1", "users/\(Stamp.t0)",
      CSVFile.lines(
        CSVFile.usersHeader + ",LocalUserIdentifier",
        ["u1", "u2", "u3"].map { CSVFile.userRow($0) + ",loc-\($0)" }))
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(["u1", "u2"]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.isDeleted("LMSUser", key: "u3") == true)
    let id = try database.value("LMSUser", "LMSUserIdentifier", key: "u3")
    let firstDeletedAt = try database.value("LMSUser", "DeletedAt", key: "u3")

    // Still absent the next day: the first DeletedAt stays.
    try tree.write("P1", "users/\(Stamp.t2)", CSVFile.users(["u1", "u2"]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.value("LMSUser", "DeletedAt", key: "u3") == firstDeletedAt)
    #expect(try entry(database, "users/\(Stamp.t2)")?.counts.softDeleted == 0)

    try tree.write("P1", "users/\(Stamp.t3)", CSVFile.users(["u1", "u2", "u3"]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.isDeleted("LMSUser", key: "u3") == false)
    #expect(try database.value("LMSUser", "LMSUserIdentifier", key: "u3") == id)
    // A column the header does not carry keeps its stored value.
    #expect(try database.value("LMSUser", "LocalUserIdentifier", key: "u3") == "loc-u3")
    #expect(try database.count("LMSUser") == 3)
    let restored = try entry(database, "users/\(Stamp.t3)")
    #expect(restored?.counts.restored == 1 && restored?.counts.unchanged == 2)
    #expect(restored?.counts.inserted == 0 && restored?.counts.updated == 0)
  }

  // 3. The soft-delete scope is the directory's section; an empty snapshot empties it, and only it.
  @Test(arguments: TestDatabase.available)
  func emptySectionSnapshotEmptiesOnlyItsScope(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s1", [("a1", "x"), ("a2", "x")]))
    try tree.write(
      "P1", "section=s2/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s2", [("b1", "x")]))
    try tree.write(
      "P1", "section=s1/section-associations/\(Stamp.t0)",
      CSVFile.associations(section: "s1", [("e1", "u1"), ("e2", "u2")]))
    try tree.write(
      "P1", "section=s2/section-associations/\(Stamp.t0)",
      CSVFile.associations(section: "s2", [("f1", "u1")]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.liveKeys("Assignment") == ["a1", "a2", "b1"])

    // A header only, a lone newline, blank and whitespace-only lines: all empty snapshots.
    try tree.write("P1", "section=s1/assignments/\(Stamp.t1)", CSVFile.assignmentsHeader + "\n")
    try tree.write("P1", "section=s1/section-associations/\(Stamp.t1)", "\n")
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.count(.loaded) == 2)
    #expect(try database.liveKeys("Assignment") == ["b1"])
    #expect(try database.liveKeys("LMSUserLMSSectionAssociation") == ["f1"])
    #expect(try entry(database, "section=s1/assignments/\(Stamp.t1)")?.counts.softDeleted == 2)
    #expect(
      try entry(database, "section=s1/section-associations/\(Stamp.t1)")?.counts.softDeleted == 2)

    try tree.write("P1", "section=s2/assignments/\(Stamp.t1)", " \n\t\n\n")
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.liveKeys("Assignment") == [])
    #expect(try database.count("Assignment") == 3)

    // Before a provider owns a SourceSystem, an empty snapshot is loaded and changes nothing.
    let before = try database.allStates()
    try tree.write("P2", "section=s1/assignments/\(Stamp.t0)", CSVFile.assignmentsHeader + "\n")
    let fresh = try load(database, provider: "P2", in: tree)
    #expect(fresh.count(.loaded) == 1)
    #expect(try database.allStates() == before)
  }

  // 4. An assignments file sets the submission types of its own assignments only.
  @Test(arguments: TestDatabase.available)
  func assignmentsFileTouchesOnlyItsOwnAssignmentsSubmissionTypes(_ kind: TestDatabase.Kind) throws
  {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s1", [("a1", "\"['x', 'y']\""), ("a2", "z")]))
    try tree.write(
      "P1", "section=s2/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s2", [("b1", "x")]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.submissionTypes(assignment: "a1") == ["x": true, "y": true])

    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t1)",
      CSVFile.assignments(section: "s1", [("a1", "x")]))
    // A header without SubmissionType leaves the types alone.
    try tree.write(
      "P1", "section=s2/assignments/\(Stamp.t1)",
      CSVFile.lines(
        "SourceSystemIdentifier,SourceSystem,Title,AssignmentCategory,LMSSectionSourceSystemIdentifier,\(CSVFile.dates)",
        ["b1,LMS1,Title b1,Homework,s2,\(CSVFile.datesValue)"]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.submissionTypes(assignment: "a1") == ["x": true, "y": false])
    // a2 was soft-deleted by absence; its types stay as its file left them.
    #expect(try database.isDeleted("Assignment", key: "a2") == true)
    #expect(try database.submissionTypes(assignment: "a2") == ["z": true])
    #expect(try database.submissionTypes(assignment: "b1") == ["x": true])

    // Types listed again are restored, keeping their first CreateDate.
    let created = try database.connection.query(
      "SELECT x.CreateDate FROM \(database.table("AssignmentSubmissionType")) AS x JOIN \(database.table("Assignment")) AS a ON a.AssignmentIdentifier = x.AssignmentIdentifier WHERE a.SourceSystemIdentifier = 'a1' AND x.SubmissionType = 'y'"
    ).first?.text(0)
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t2)",
      CSVFile.assignments(section: "s1", [("a1", "\"[\"\"y\"\", \"\"x\"\", \"\"y\"\"]\"")]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.submissionTypes(assignment: "a1") == ["x": true, "y": true])
    #expect(
      try database.connection.query(
        "SELECT x.CreateDate FROM \(database.table("AssignmentSubmissionType")) AS x JOIN \(database.table("Assignment")) AS a ON a.AssignmentIdentifier = x.AssignmentIdentifier WHERE a.SourceSystemIdentifier = 'a1' AND x.SubmissionType = 'y'"
      ).first?.text(0) == created)
  }

  // 5. System activities are incremental: never soft-deleted by absence, never superseded.
  @Test(arguments: TestDatabase.available)
  func systemActivitiesAreNeverDeletedByAbsenceNorSuperseded(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write(
      "P1", "system-activities/date=2021-01-01/\(Stamp.t1)",
      CSVFile.systemActivities([("act1", "u1", "active"), ("act2", "u2", "active")]))
    try tree.write(
      "P1", "system-activities/date=2021-01-02/\(Stamp.t2)",
      CSVFile.systemActivities([("act3", "u1", "active"), ("act1", "u1", "inactive")]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.liveKeys("LMSSystemActivity") == ["act1", "act2", "act3"])
    #expect(try database.value("LMSSystemActivity", "ActivityStatus", key: "act1") == "inactive")
    #expect(
      try entry(database, "system-activities/date=2021-01-02/\(Stamp.t2)")?.counts.updated == 1)

    // An older file of an already loaded date: loaded, not superseded, and deletes nothing.
    try tree.write(
      "P1", "system-activities/date=2021-01-01/\(Stamp.t0)",
      CSVFile.systemActivities([("act4", "u3", "active")]))
    let late = try load(database, provider: "P1", in: tree)
    #expect(late.count(.loaded) == 1 && late.count(.superseded) == 0)
    #expect(try database.liveKeys("LMSSystemActivity") == ["act1", "act2", "act3", "act4"])
    #expect(
      try entry(database, "system-activities/date=2021-01-01/\(Stamp.t0)")?.counts.softDeleted == 0)
  }

  // 6. Children are found under `section=*` / `assignment=*` and fixed directory names in any case.
  @Test(arguments: TestDatabase.available)
  func directoryPrefixesAndNamesMatchInAnyCase(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.write("P1", "Users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    try tree.write("P1", "SECTIONS/\(Stamp.t0)", CSVFile.sections(["S1"]))
    try tree.write(
      "P1", "SECTION=S1/Assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "S1", [("A1", "x")]))
    try tree.write(
      "P1", "Section=S1/Assignment=A1/Submissions/\(Stamp.t0)",
      CSVFile.submissions(assignment: "A1", [("sub1", "u1", "5", "")]))
    try tree.write(
      "P1", "section=S1/ASSIGNMENT=A1/submissions/\(Stamp.t1)",
      CSVFile.submissions(assignment: "A1", [("sub1", "u1", "5", ""), ("sub2", "u2", "6", "")]))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.count(.loaded) == 5)
    #expect(summary.unrecognized.isEmpty)
    #expect(try database.liveKeys("AssignmentSubmission") == ["sub1", "sub2"])
    let linked = try database.count(
      "AssignmentSubmission",
      where:
        "AssignmentIdentifier = (SELECT AssignmentIdentifier FROM \(database.table("Assignment")) WHERE SourceSystemIdentifier = 'A1')"
    )
    #expect(linked == 2)
    // The ids after `=` are verbatim: `s1` is not `S1`.
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t1)",
      CSVFile.assignments(section: "s1", [("A9", "x")]))
    _ = try load(database, provider: "P1", in: tree)
    let orphaned = try entry(database, "section=s1/assignments/\(Stamp.t1)")
    #expect(orphaned?.counts.orphans == 1)
    #expect(try database.liveKeys("Assignment") == ["A1"])
  }

  // 7. Only an empty field is NULL; text is kept exactly as written.
  @Test(arguments: TestDatabase.available)
  func onlyAnEmptyFieldIsNullAndTextIsKeptAsWritten(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.write(
      "P1", "users/\(Stamp.t0)",
      CSVFile.lines(
        "SourceSystemIdentifier,SourceSystem,UserRole,SISUserIdentifier,LocalUserIdentifier,Name,EmailAddress,\(CSVFile.dates)",
        [
          "007,LMS1,student,007,null,NA,n/a,\(CSVFile.datesValue)",
          "u2,LMS1,student,,\"\", padded ,NULL,\(CSVFile.datesValue)",
        ]))
    try tree.write("P1", "sections/\(Stamp.t0)", CSVFile.sections(["s1"]))
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.lines(
        "SourceSystemIdentifier,SourceSystem,Title,AssignmentCategory,AssignmentDescription,MaxPoints,LMSSectionSourceSystemIdentifier,\(CSVFile.dates)",
        [
          "a1,LMS1,T,Homework,,007,s1,\(CSVFile.datesValue)",
          "a2,LMS1,T,Homework,\"\",,s1,\(CSVFile.datesValue)",
          "a3,LMS1,T,Homework,NULL,,s1,\(CSVFile.datesValue)",
          "a4,LMS1,T,Homework,nan,,s1,\(CSVFile.datesValue)",
        ]))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.rows.invalid == 0)
    #expect(try database.value("LMSUser", "SISUserIdentifier", key: "007") == "007")
    #expect(try database.value("LMSUser", "LocalUserIdentifier", key: "007") == "null")
    #expect(try database.value("LMSUser", "Name", key: "007") == "NA")
    #expect(try database.value("LMSUser", "EmailAddress", key: "007") == "n/a")
    #expect(try database.value("LMSUser", "SISUserIdentifier", key: "u2") == nil)
    #expect(try database.value("LMSUser", "LocalUserIdentifier", key: "u2") == nil)
    #expect(try database.value("LMSUser", "Name", key: "u2") == " padded ")
    #expect(try database.value("LMSUser", "EmailAddress", key: "u2") == "NULL")
    #expect(try database.value("Assignment", "AssignmentDescription", key: "a1") == nil)
    #expect(try database.value("Assignment", "AssignmentDescription", key: "a2") == nil)
    #expect(try database.value("Assignment", "AssignmentDescription", key: "a3") == "NULL")
    #expect(try database.value("Assignment", "AssignmentDescription", key: "a4") == "nan")
    #expect(try database.value("Assignment", "MaxPoints", key: "a1") == "7")
    #expect(try database.count("Assignment", where: "MaxPoints IS NULL") == 3)
  }

  // 8. A bad value, a duplicate key or a decimal score does not stop the file or the run.
  @Test(arguments: TestDatabase.available)
  func badRowsAreReportedAndSkippedAndTheRestLoads(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s1", [("a1", "x")]))
    try tree.write(
      "P1", "section=s1/assignment=a1/submissions/\(Stamp.t0)",
      CSVFile.submissions(
        assignment: "a1",
        [
          ("sub1", "u1", "8.5", "2021-01-01 10:00"),  // line 2: rounded to 9
          ("sub2", "u2", "10", "not a time"),  // line 3: invalid timestamp
          ("sub3", "u3", "7", ""),  // lines 4 and 5: duplicate key
          ("sub3", "u4", "7", ""),
          ("sub4", "u4", "-2.5", ""),  // line 6: rounded to -3
          ("sub5", "u1", "ten", ""),  // line 7: not an integer
        ]))
    try tree.write(
      "P1", "section=s1/section-associations/\(Stamp.t0)",
      CSVFile.associations(section: "s1", [("e1", "u1")]))
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(["u1", "u2", "u3", "u4", "u5"]))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.count(.loaded) == 6 && summary.count(.rejected) == 0)
    #expect(summary.exitCode == 3)
    let file = try entry(database, "section=s1/assignment=a1/submissions/\(Stamp.t0)")
    #expect(file?.outcome == .loaded)
    #expect(file?.counts.rowsRead == 6)
    #expect(file?.counts.invalid == 4)
    #expect(file?.counts.inserted == 2)
    #expect(file?.counts.rounded == 2)
    for line in [
      "line 3, column SubmissionDateTime", "line 4", "line 5", "line 7, column EarnedPoints",
    ] {
      #expect(file?.message?.contains(line) == true, "\(line) in \(file?.message ?? "nil")")
    }
    #expect(try database.liveKeys("AssignmentSubmission") == ["sub1", "sub4"])
    #expect(try database.value("AssignmentSubmission", "EarnedPoints", key: "sub1") == "9")
    #expect(try database.value("AssignmentSubmission", "EarnedPoints", key: "sub4") == "-3")
    // Later files of the run, the next users file included, loaded.
    #expect(try database.liveKeys("LMSUser") == ["u1", "u2", "u3", "u4", "u5"])
    #expect(try database.liveKeys("LMSUserLMSSectionAssociation") == ["e1"])
  }

  // 9. Zoned timestamps are converted to UTC; unzoned ones are kept as written.
  @Test(arguments: TestDatabase.available)
  func zonedTimestampsAreConvertedToUTC(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    if kind.backend != .sqlite {
      // The session's zone must not matter: values are timestamps without a zone.
      try database.connection.execute("SET TIME ZONE 'Asia/Kathmandu'")
    }
    let tree = try TreeBuilder()
    let cases: [(String, String)] = [
      ("2021-03-09T16:44:33-06:00", "2021-03-09 22:44:33"),
      ("2021-09-02T16:38:34.895Z", "2021-09-02 16:38:34.895"),
      ("2021-03-09 16:44:33+05:30", "2021-03-09 11:14:33"),
      ("2021-12-31T23:30:00-01:00", "2022-01-01 00:30:00"),
      ("9/3/2020 1:02", "2020-09-03 01:02:00"),
      ("\" 2021-05-01   00:00:00\"", "2021-05-01 00:00:00"),
      ("2021-06-01T12:00:00.1234567+00:00", "2021-06-01 12:00:00.123457"),
    ]
    try tree.write(
      "P1", "users/\(Stamp.t0)",
      CSVFile.lines(
        "SourceSystemIdentifier,SourceSystem,UserRole,Name,EmailAddress,SourceCreateDate,\(CSVFile.dates)",
        cases.enumerated().map {
          "u\($0.offset),LMS1,student,N,e,\($0.element.0),\(CSVFile.datesValue)"
        }))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.rows.invalid == 0 && summary.rows.inserted == cases.count)
    for (offset, (written, utc)) in cases.enumerated() {
      let stored = try database.value("LMSUser", "SourceCreateDate", key: "u\(offset)")
      #expect(sameInstant(stored, utc), "\(written) stored as \(stored ?? "NULL"), expected \(utc)")
    }
  }

  // 10a. An empty users or sections file is refused, even with --allow-mass-delete.
  @Test(arguments: TestDatabase.available)
  func emptyUsersOrSectionsFileIsRefused(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1", users: 3, sections: 2)
    _ = try load(database, provider: "P1", in: tree)
    let before = try database.allStates()
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.usersHeader + "\n")
    try tree.write("P1", "users/\(Stamp.t2)", "\n")
    try tree.write("P1", "sections/\(Stamp.t1)", CSVFile.sectionsHeader + "\r\n\r\n")
    let summary = try load(
      database, provider: "P1", in: tree, options: ApplyOptions(allowMassDelete: true))
    #expect(summary.count(.rejected) == 3 && summary.count(.loaded) == 0)
    #expect(summary.exitCode == 3)
    #expect(try database.allStates() == before)
    for path in ["users/\(Stamp.t1)", "users/\(Stamp.t2)", "sections/\(Stamp.t1)"] {
      let rejected = try entry(database, path)
      #expect(rejected?.outcome == .rejected)
      #expect(rejected?.message?.contains(path) == true)
      #expect(
        rejected?.message?.contains("no valid data rows") == true, "\(rejected?.message ?? "")")
    }
    // A users file whose every row is invalid is as empty.
    try tree.write(
      "P1", "users/\(Stamp.t3)",
      CSVFile.lines(
        CSVFile.usersHeader,
        [
          "u1,LMS1,student,,e,\(CSVFile.datesValue)"
        ]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try entry(database, "users/\(Stamp.t3)")?.outcome == .rejected)
    #expect(try database.allStates() == before)
  }

  // 10b. The guard counts every live row of the scope: rows kept only by an invalid row of the new
  // file count too (12 of 30 gone is no mass delete, although 12 is more than the 10 valid rows).
  @Test(arguments: TestDatabase.available)
  func rowsKeptByInvalidRowsCountAsLive(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let thirty = (1...30).map { "u\($0)" }
    try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(thirty))
    let valid = thirty.prefix(10).map { CSVFile.userRow($0) }
    let invalid = thirty[10..<18].map {
      "\($0),LMS1,student,,\($0)@example.org,\(CSVFile.datesValue)"
    }
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.lines(CSVFile.usersHeader, valid + invalid))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.count(.loaded) == 2 && summary.count(.rejected) == 0)
    #expect(try database.liveKeys("LMSUser").count == 18)
    #expect(try entry(database, "users/\(Stamp.t1)")?.counts.softDeleted == 12)
  }

  // 10b. A file that would soft-delete more than half of ≥ 20 live rows is refused unless allowed.
  @Test(arguments: TestDatabase.available)
  func massDeleteIsRefusedUnlessAllowed(_ kind: TestDatabase.Kind) throws {
    let (database, tree, thirty) = try thirtyUsersLoaded(kind)
    let before = try database.allStates()

    // 16 of 30 absent: refused.
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(Array(thirty.prefix(14))))
    let refused = try load(database, provider: "P1", in: tree)
    #expect(refused.count(.rejected) == 1 && refused.exitCode == 3)
    #expect(try database.allStates() == before)
    let message = try entry(database, "users/\(Stamp.t1)")?.message ?? ""
    #expect(message.contains("users/\(Stamp.t1)") && message.contains("16 of 30"), "\(message)")

    // Allowed: the same file loads when re-offered with --allow-mass-delete.
    let allowed = try load(
      database, provider: "P1", in: tree,
      options: ApplyOptions(allowMassDelete: true, retryRejected: true))
    #expect(allowed.count(.loaded) == 1)
    #expect(try database.liveKeys("LMSUser").count == 14)

    // Exactly half is not more than half: loaded.
    let other = try TestDatabase(kind)
    try tree.write("P2", "users/\(Stamp.t0)", CSVFile.users(thirty, source: "LMS2"))
    try tree.write(
      "P2", "users/\(Stamp.t1)", CSVFile.users(Array(thirty.prefix(15)), source: "LMS2"))
    let half = try load(other, provider: "P2", in: tree)
    #expect(half.count(.loaded) == 2 && half.count(.rejected) == 0)
    #expect(try other.liveKeys("LMSUser").count == 15)

    // Fewer than 20 live rows: the guard does not apply.
    let small = try TestDatabase(kind)
    let nineteen = (1...19).map { "u\($0)" }
    try tree.write("P3", "users/\(Stamp.t0)", CSVFile.users(nineteen, source: "LMS3"))
    try tree.write("P3", "users/\(Stamp.t1)", CSVFile.users(["u1"], source: "LMS3"))
    let few = try load(small, provider: "P3", in: tree)
    #expect(few.count(.loaded) == 2)
    #expect(try small.liveKeys("LMSUser") == ["u1"])

    // Sections are guarded too.
    let sections = try TestDatabase(kind)
    let sectionIDs = (1...20).map { "s\($0)" }
    try tree.write("P4", "sections/\(Stamp.t0)", CSVFile.sections(sectionIDs, source: "LMS4"))
    try tree.write("P4", "sections/\(Stamp.t1)", CSVFile.sections(["s1"], source: "LMS4"))
    let guarded = try load(sections, provider: "P4", in: tree)
    #expect(guarded.count(.loaded) == 1 && guarded.count(.rejected) == 1)
    #expect(try sections.liveKeys("LMSSection").count == 20)
  }

  // 11. Atomic per file: a file whose merge fails on a database error leaves nothing behind,
  // while the files before and after it in the same transaction stay applied.
  @Test(arguments: TestDatabase.available)
  func aFileThatFailsMidMergeLeavesNothingHalfApplied(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    switch kind.backend {
    case .postgresql, .odbcPostgresql, .postgresqlPerFile, .odbcPostgresqlPerFile:
      try database.connection.executeScript(
        """
        CREATE FUNCTION lms.refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ \
        BEGIN IF NEW.Name = 'boom' THEN RAISE EXCEPTION 'boom refused by trigger'; END IF; \
        RETURN NEW; END $$;
        CREATE TRIGGER refuse_boom BEFORE INSERT ON lms.LMSUser FOR EACH ROW \
        EXECUTE FUNCTION lms.refuse_boom();
        """)
    case .sqlite, .sqlitePerFile:
      try database.connection.executeScript(
        """
        CREATE TRIGGER refuse_boom BEFORE INSERT ON LMSUser WHEN NEW.Name = 'boom' \
        BEGIN SELECT RAISE(ABORT, 'boom refused by trigger'); END;
        """)
    }
    let tree = try TreeBuilder()
    try tree.seed("P1", users: 4, sections: 1)
    _ = try load(database, provider: "P1", in: tree)

    // One transaction: t1 renames u1; t2 renames u1 again, drops u2 and inserts 'boom' (fails
    // after its update ran); the sections file after it adds s2.
    try tree.write(
      "P1", "users/\(Stamp.t1)",
      CSVFile.lines(
        CSVFile.usersHeader,
        [
          CSVFile.userRow("u1", name: "First"), CSVFile.userRow("u2"), CSVFile.userRow("u3"),
          CSVFile.userRow("u4"),
        ]))
    try tree.write(
      "P1", "users/\(Stamp.t2)",
      CSVFile.lines(
        CSVFile.usersHeader,
        [
          CSVFile.userRow("u1", name: "Second"), CSVFile.userRow("u3"), CSVFile.userRow("u4"),
          CSVFile.userRow("u5", name: "boom"),
        ]))
    try tree.write("P1", "sections/\(Stamp.t1)", CSVFile.sections(["s1", "s2"]))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.count(.loaded) == 2 && summary.count(.rejected) == 1)
    #expect(summary.exitCode == 3)
    let failed = try entry(database, "users/\(Stamp.t2)")
    #expect(failed?.outcome == .rejected)
    #expect(failed?.message?.contains("users/\(Stamp.t2)") == true)
    #expect(
      failed?.message?.contains("boom refused by trigger") == true, "\(failed?.message ?? "")")
    #expect(failed?.counts == RowCounts())
    #expect(try database.value("LMSUser", "Name", key: "u1") == "First")
    #expect(try database.liveKeys("LMSUser") == ["u1", "u2", "u3", "u4"])
    #expect(try database.liveKeys("LMSSection") == ["s1", "s2"])
    // The failed file did not move the watermark: a fixed t2 still loads.
    try tree.write(
      "P1", "users/\(Stamp.t2)",
      CSVFile.lines(
        CSVFile.usersHeader,
        [
          CSVFile.userRow("u1", name: "Second"), CSVFile.userRow("u3"), CSVFile.userRow("u4"),
          CSVFile.userRow("u5", name: "fine"),
        ]))
    let fixed = try load(database, provider: "P1", in: tree)
    #expect(fixed.count(.loaded) == 1)
    #expect(try database.liveKeys("LMSUser") == ["u1", "u3", "u4", "u5"])
  }

  // 12. Identity is (provider, relative path, SHA-256): a moved root is a duplicate. Quotes in
  // paths and values are data, never SQL.
  @Test(arguments: TestDatabase.available)
  func movedRootIsADuplicateAndQuotesAreHarmless(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let first = try TreeBuilder()
    try first.copy(sampleRoot, as: "BestLMS")
    let initial = try load(database, provider: "BestLMS", in: first)
    #expect(initial.count(.loaded) == 21)
    let before = try database.allStates()
    let moved = try TreeBuilder()
    try moved.copy(sampleRoot, as: "BestLMS")
    let again = try load(database, provider: "BestLMS", in: moved)
    #expect(again.count(.loaded) == 0 && again.alreadyInLedger == 21)
    #expect(try ledger(database).count == 21)
    #expect(try database.allStates() == before)

    let tree = try TreeBuilder()
    let evil = "x'); DROP TABLE LMSUser; --"
    try tree.write(
      "Q", "users/\(Stamp.t0)",
      CSVFile.lines(
        CSVFile.usersHeader,
        [
          "\"O'Brien\",Q'LMS,student,\"\(evil)\",\"o\"\"b\"\"@x\",\(CSVFile.datesValue)"
        ]))
    try tree.write(
      "Q", "sections/\(Stamp.t0)",
      CSVFile.lines(
        CSVFile.sectionsHeader,
        [
          "O'Brien,Q'LMS,\"Dr. \"\"Who\"\"\",\(CSVFile.datesValue)"
        ]))
    let path = "section=O'Brien/assignments/\(Stamp.t0)"
    try tree.write(
      "Q", path,
      CSVFile.assignments(section: "O'Brien", [("it's", "\"['it\\'s']\"")], source: "Q'LMS"))
    try tree.write(
      "Q", "section=O'Brien/assignment=it's/submissions/\(Stamp.t0)",
      CSVFile.submissions(assignment: "it's", [("s'1", "O'Brien", "1", "")], source: "Q'LMS"))
    let quoted = try load(database, provider: "Q", in: tree)
    #expect(quoted.count(.loaded) == 4 && quoted.count(.rejected) == 0 && quoted.rows.invalid == 0)
    #expect(try database.value("LMSUser", "Name", key: "O'Brien") == evil)
    #expect(try database.value("LMSUser", "EmailAddress", key: "O'Brien") == "o\"b\"@x")
    #expect(try database.value("LMSSection", "Title", key: "O'Brien") == "Dr. \"Who\"")
    #expect(try database.value("AssignmentSubmission", "SourceSystem", key: "s'1") == "Q'LMS")
    #expect(try database.submissionTypes(assignment: "it's") == ["it's": true])
    #expect(try ledger(database, provider: "Q").map(\.relativePath).contains(path))
    // The section-scoped delete finds its scope through the quoted id.
    try tree.write("Q", "section=O'Brien/assignments/\(Stamp.t1)", CSVFile.assignmentsHeader + "\n")
    _ = try load(database, provider: "Q", in: tree)
    #expect(try database.isDeleted("Assignment", key: "it's") == true)
    #expect(try database.count("LMSUser") == 14)
  }

  // 13. Staging is per session: two providers loading at once on one database do not collide.
  @Test(arguments: TestDatabase.available.filter { $0 == .postgresql })
  func twoProvidersLoadingConcurrentlyDoNotCollide(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let count = 20_000
    for (provider, source) in [("P1", "LMS1"), ("P2", "LMS2")] {
      try tree.write(
        provider, "users/\(Stamp.t0)", CSVFile.users((1...count).map { "u\($0)" }, source: source))
      try tree.write(
        provider, "users/\(Stamp.t1)",
        CSVFile.users((1...count).map { "u\($0)" } + ["\(provider)-only"], source: source))
      try tree.write(
        provider, "sections/\(Stamp.t0)", CSVFile.sections(["s1", "s2"], source: source))
      try tree.write(
        provider, "section=s1/section-associations/\(Stamp.t0)",
        CSVFile.associations(section: "s1", (1...500).map { ("e\($0)", "u\($0)") }, source: source))
    }
    guard case .postgresql(let options) = database.location else { return }
    let results = Results()
    let roots = ["P1", "P2"].map { SourceRoot(provider: ProviderName($0), path: tree.provider($0)) }
    DispatchQueue.concurrentPerform(iterations: 2) { index in
      do {
        let connection = try PostgresConnection(options)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let summary = try EmbeddedLoad(
          connection: connection, logger: logger, options: ApplyOptions(), settleSeconds: 0,
          filesPerTransaction: 1
        ).run([roots[index]])
        results.set(
          index,
          "\(summary.count(.loaded)) loaded, \(summary.count(.rejected)) rejected, \(summary.rows.invalid) invalid"
        )
      } catch {
        results.set(index, "error: \(error)")
      }
    }
    #expect(
      results.values == [
        0: "4 loaded, 0 rejected, 0 invalid", 1: "4 loaded, 0 rejected, 0 invalid",
      ])
    for source in ["LMS1", "LMS2"] {
      #expect(
        try database.count("LMSUser", where: "SourceSystem = '\(source)' AND DeletedAt IS NULL")
          == count + 1)
      #expect(
        try database.count("LMSUserLMSSectionAssociation", where: "SourceSystem = '\(source)'")
          == 500)
    }
    #expect(
      try database.count(
        "LMSUser", where: "SourceSystemIdentifier = 'P1-only' AND SourceSystem = 'LMS1'") == 1)
    #expect(
      try database.count(
        "LMSUser", where: "SourceSystemIdentifier = 'P2-only' AND SourceSystem = 'LMS2'") == 1)
    // Each association points at its own SourceSystem's user.
    #expect(
      try database.count(
        "LMSUserLMSSectionAssociation",
        where:
          "EXISTS (SELECT 1 FROM \(database.table("LMSUser")) AS u WHERE u.LMSUserIdentifier = \(database.table("LMSUserLMSSectionAssociation")).LMSUserIdentifier AND u.SourceSystem <> \(database.table("LMSUserLMSSectionAssociation")).SourceSystem)"
      ) == 0)
  }

  // 14. Grades load into LMSGrade, scoped to the directory's section.
  @Test(arguments: TestDatabase.available)
  func gradesAreLoaded(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write(
      "P1", "section=s1/section-associations/\(Stamp.t0)",
      CSVFile.associations(section: "s1", [("e1", "u1"), ("e2", "u2")]))
    try tree.write(
      "P1", "section=s2/section-associations/\(Stamp.t0)",
      CSVFile.associations(section: "s2", [("f1", "u1")]))
    try tree.write(
      "P1", "section=s1/grades/\(Stamp.t0)",
      CSVFile.grades([("g1", "e1", "A"), ("g2", "e2", "B+")]))
    try tree.write("P1", "section=s2/grades/\(Stamp.t0)", CSVFile.grades([("h1", "f1", "90")]))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.count(.loaded) == 6 && summary.rows.invalid == 0 && summary.rows.orphans == 0)
    #expect(try database.liveKeys("LMSGrade") == ["g1", "g2", "h1"])
    #expect(try database.value("LMSGrade", "Grade", key: "g2") == "B+")
    #expect(try database.value("LMSGrade", "GradeType", key: "g2") == "Current")
    #expect(
      try database.value("LMSGrade", "LMSUserLMSSectionAssociationIdentifier", key: "g1")
        == database.value(
          "LMSUserLMSSectionAssociation", "LMSUserLMSSectionAssociationIdentifier", key: "e1"))
    try tree.write("P1", "section=s1/grades/\(Stamp.t1)", CSVFile.grades([("g1", "e1", "A-")]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.liveKeys("LMSGrade") == ["g1", "h1"])
    #expect(try database.value("LMSGrade", "Grade", key: "g1") == "A-")
  }

  // 15. DeletedAt and the ledger's times are UTC, whatever the session's zone.
  @Test(arguments: TestDatabase.available)
  func deletedAtIsUTC(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    if kind.backend != .sqlite {
      try database.connection.execute("SET TIME ZONE 'Pacific/Kiritimati'")  // UTC+14
    }
    let tree = try TreeBuilder()
    try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    _ = try load(database, provider: "P1", in: tree)
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(["u1"]))
    let before = LMSTimestamp(CanonicalTime.now())!
    _ = try load(database, provider: "P1", in: tree)
    let after = LMSTimestamp(CanonicalTime.now())!
    let deletedAt = try database.value("LMSUser", "DeletedAt", key: "u2").flatMap(LMSTimestamp.init)
    #expect(
      deletedAt.map { before <= $0 && $0 <= after } == true,
      "\(String(describing: deletedAt)) not in [\(before), \(after)]")
    let file = try entry(database, "users/\(Stamp.t1)")
    let started = file.flatMap { LMSTimestamp($0.startedAt) }
    let finished = file?.finishedAt.flatMap(LMSTimestamp.init)
    #expect(started == deletedAt)
    #expect(finished.map { before <= $0 && $0 <= after } == true)
  }
}

/// Results from concurrent loads.
final class Results: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [Int: String] = [:]
  func set(_ index: Int, _ value: String) {
    lock.lock()
    stored[index] = value
    lock.unlock()
  }
  var values: [Int: String] {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
}
