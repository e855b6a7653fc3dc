import Messages
import Store
import Testing

@testable import Worker

/// A wave whose scopes hold no stored row is written from the stage without the classifying join
/// (`WaveStep.insertFromStage`). Each case against the per-file oracle, on every set-based
/// database.
@Suite struct FirstLoadInsertTests {
  static let kinds = TestDatabase.available.filter(\.setBased)

  /// A key stored in another scope cannot be ruled out by the probe of the wave's own scopes: the
  /// unique key refuses the insert, and the wave goes file by file, where the stored row moves.
  @Test(arguments: kinds)
  func keyMovedIntoAnEmptyScopeTakesTheOraclesPath(_ kind: TestDatabase.Kind) throws {
    let pair = try EmptyScopeFillTests.Pair(kind, providers: ["P1"])
    try pair.tree.write("P1", "sections/\(Stamp.t0)", CSVFile.sections(["s1", "s2"]))
    try pair.tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s1", [("a1", ""), ("a2", "")]))
    #expect(try pair.load().rows.inserted == 2 + 2)

    // s2 has never held an assignment; a1 moves there from s1, whose file does not come again.
    try pair.tree.write(
      "P1", "section=s2/assignments/\(Stamp.t1)",
      CSVFile.assignments(section: "s2", [("a1", ""), ("a3", "")]))
    let summary = try pair.load()
    #expect(summary.rows.inserted == 1)
    #expect(summary.rows.updated == 1)
    try expectSameTablesAndLedger(pair.setBased, pair.perFile, ignoringIdentities: ["Assignment"])
    for database in [pair.setBased, pair.perFile] {
      let moved = try database.count(
        "Assignment",
        where: """
          SourceSystemIdentifier = 'a1' AND DeletedAt IS NULL AND LMSSectionIdentifier = \
          (SELECT LMSSectionIdentifier FROM \(database.table("LMSSection")) \
          WHERE SourceSystemIdentifier = 's2')
          """)
      #expect(moved == 1)
    }
  }

  /// Scopes of one wave, some empty and one holding rows: the wave classifies, and the stored
  /// rows are matched, restored or soft-deleted as the oracle does.
  @Test(arguments: kinds)
  func waveWithOneStoredScopeClassifies(_ kind: TestDatabase.Kind) throws {
    let pair = try EmptyScopeFillTests.Pair(kind, providers: ["P1"])
    try pair.tree.write("P1", "sections/\(Stamp.t0)", CSVFile.sections(["s1", "s2", "s3"]))
    try pair.tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s1", [("a1", ""), ("a2", "")]))
    _ = try pair.load()
    for section in ["s1", "s2", "s3"] {
      try pair.tree.write(
        "P1", "section=\(section)/assignments/\(Stamp.t1)",
        CSVFile.assignments(
          section: section, section == "s1" ? [("a2", "")] : [("\(section)-a", "")]))
    }
    let summary = try pair.load()
    #expect(summary.rows.inserted == 2)
    #expect(summary.rows.softDeleted == 1)
    try expectSameTablesAndLedger(pair.setBased, pair.perFile)
  }
}
