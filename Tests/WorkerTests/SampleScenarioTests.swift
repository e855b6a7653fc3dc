import ExtractorTree
import LMSDSTestSupport
import Messages
import Store
import Testing
import Worker

/// The Ed-Fi `docs/sample-out` scenario (bundled as samples/BestLMS): three days of one provider
/// with deletions and restorations. The expected state is derived by hand from the files and
/// load-semantics.md, file by file.
@Suite struct SampleScenarioTests {
  static let provider = SourceRoot(provider: "BestLMS", path: sampleRoot)

  @Test(arguments: TestDatabase.available)
  func loadsToTheStateTheContractImplies(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let summary = try load(database, [Self.provider])
    #expect(summary.count(.loaded) == 21)
    #expect(summary.count(.rejected) == 0)
    #expect(summary.rows.invalid == 0 && summary.rows.orphans == 0)

    // users: 12, then 11 (user 1 gone), then 13 (user 1 back, 99588912 new): none deleted.
    #expect(try database.count("LMSUser") == 13)
    #expect(try database.count("LMSUser", where: "DeletedAt IS NOT NULL") == 0)
    // sections: 123456791 dropped by the second file and restored by the third.
    #expect(try database.count("LMSSection") == 4)
    #expect(try database.count("LMSSection", where: "DeletedAt IS NOT NULL") == 0)
    let restored = try ledger(database).first {
      $0.relativePath == "sections/2020-09-19-15-04-23.csv"
    }
    #expect(restored?.counts.restored == 1)
    // assignments: 2942251003 absent from section 123456780's second file.
    #expect(try database.count("Assignment") == 4)
    #expect(
      try database.count(
        "Assignment", where: "DeletedAt IS NOT NULL AND SourceSystemIdentifier = '2942251003'") == 1
    )
    #expect(try database.count("Assignment", where: "DeletedAt IS NOT NULL") == 1)
    // submissions under the capitalised `Assignment=` directories load; 236789157 disappears.
    #expect(try database.count("AssignmentSubmission") == 8)
    #expect(
      try database.count(
        "AssignmentSubmission",
        where: "DeletedAt IS NOT NULL AND SourceSystemIdentifier = '236789157'") == 1)
    #expect(try database.count("LMSUserLMSSectionAssociation") == 12)
    // attendance: 2385758955-2020-08-29 gone the second day; events link to their enrolment.
    #expect(try database.count("LMSUserAttendanceEvent") == 2)
    #expect(
      try database.count(
        "LMSUserAttendanceEvent",
        where: "DeletedAt IS NOT NULL AND SourceSystemIdentifier = '2385758955-2020-08-29'") == 1)
    #expect(
      try database.count(
        "LMSUserAttendanceEvent", where: "LMSUserLMSSectionAssociationIdentifier IS NULL") == 0)
    #expect(try database.count("LMSSectionActivity") == 1)
    #expect(try database.count("LMSSystemActivity") == 9)
    #expect(try database.count("LMSGrade") == 8)
    // one submission type per assignment; none deleted (2942251003's stays as its file left it).
    #expect(try database.count("AssignmentSubmissionType") == 4)
    #expect(try database.count("AssignmentSubmissionType", where: "DeletedAt IS NOT NULL") == 0)

    // Values are stored as written, timestamps canonical; the Ed-Fi ids are never written.
    let mary = try database.connection.query(
      "SELECT Name, EmailAddress, SISUserIdentifier, CreateDate, EdFiStudentId FROM \(database.table("LMSUser")) WHERE SourceSystemIdentifier = '100032890'"
    )
    #expect(
      mary.first?.values.map { $0.text ?? "NULL" } == [
        "Mary Archer", "Mary.Archer@studentgps.org", "604863", "2020-08-20 12:34:56", "NULL",
      ])
    // The ledger lists every file once, in apply order: users first, system activities last.
    let entries = try ledger(database)
    #expect(entries.count == 21)
    #expect(entries.map(\.resource.rank) == entries.map(\.resource.rank).sorted())
    #expect(entries.allSatisfy { $0.outcome == .loaded && $0.finishedAt != nil })
  }

  @Test(arguments: TestDatabase.available)
  func loadingTheSameTreeTwiceChangesNothing(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    _ = try load(database, [Self.provider])
    let tables = ["LMSUser", "LMSSection", "Assignment", "AssignmentSubmission", "LMSGrade"]
    let before = try tables.map { try database.dump($0) }
    let again = try load(database, [Self.provider])
    #expect(again.count(.loaded) == 0)
    #expect(again.alreadyInLedger == 21)
    #expect(again.rows.rowsRead == 0)
    #expect(try tables.map { try database.dump($0) } == before)
    #expect(try ledger(database).count == 21)
  }

  @Test(arguments: TestDatabase.available)
  func oneFilePerTransactionGivesTheSameState(_ kind: TestDatabase.Kind) throws {
    let batched = try TestDatabase(kind)
    let single = try TestDatabase(kind)
    _ = try load(batched, [Self.provider], filesPerTransaction: 500)
    _ = try load(single, [Self.provider], filesPerTransaction: 1)
    for table in [
      "LMSUser", "LMSSection", "Assignment", "AssignmentSubmission", "LMSUserAttendanceEvent",
    ] {
      #expect(try batched.state(table) == single.state(table), "\(table)")
    }
  }
}
