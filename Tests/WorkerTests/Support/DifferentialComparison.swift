import Store
import Testing
import Worker

/// The set-based merge against its oracle: every LMS table and every ledger row of a database
/// loaded set-based must equal those of one loaded file by file with the same trees.
///
/// `ignoringIdentities` names tables whose identity column (the first) is left out: rows written
/// and then rolled back to a savepoint (an empty-scope fill that gave way to the staged merge)
/// used up identity values, which no contract fixes.
func expectSameTablesAndLedger(
  _ setBased: TestDatabase, _ perFile: TestDatabase, ignoringIdentities: Set<String> = [],
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  for table in TestDatabase.lmsTables {
    let order =
      table == "AssignmentSubmissionType"
      ? "AssignmentIdentifier, SubmissionType" : "SourceSystem, SourceSystemIdentifier"
    // A submission type's CreateDate is the time of the run that inserted it.
    let runTime =
      table == "AssignmentSubmissionType"
      ? try setBased.columns(table).firstIndex { $0.lowercased() == "createdate" } : nil
    var dropped = runTime.map { [$0] } ?? []
    if ignoringIdentities.contains(table) { dropped.insert(0, at: 0) }
    let comparable = { (rows: [[String]]) -> [[String]] in
      rows.map { row in
        var kept = row
        for index in dropped.reversed() { kept.remove(at: index) }
        return kept
      }
    }
    let left = comparable(try setBased.state(table, orderBy: order))
    let right = comparable(try perFile.state(table, orderBy: order))
    #expect(left == right, "\(table) differs", sourceLocation: sourceLocation)
  }
  let summarize = { (entry: LedgerEntry) in
    "\(entry.provider) \(entry.relativePath) \(entry.outcome) \(entry.counts) \(entry.message ?? "")"
  }
  let setBasedLedger = try ledger(setBased).map(summarize)
  let perFileLedger = try ledger(perFile).map(summarize)
  #expect(setBasedLedger.sorted() == perFileLedger.sorted(), sourceLocation: sourceLocation)
}
