import Foundation
import Messages
import Testing

@testable import Store

/// The exact SQL Server text of the merge, ledger and lock statements. No SQL Server runs where we
/// build, so each golden string was read statement by statement before it was pinned here
/// (SQLServerGolden.swift); SQLServerParseTests hands the same text to a T-SQL parser.
/// After a deliberate change, `LMSDS_WRITE_GOLDEN=/some/dir swift test --filter SQLServer` writes the
/// new texts there as .sql files: read them (and run them through scripts/tsql-parse.py) before pasting.
@Suite struct SQLServerMergeTextTests {
  static func writeIfAsked(_ name: String, _ text: String) {
    guard let directory = ProcessInfo.processInfo.environment["LMSDS_WRITE_GOLDEN"] else { return }
    try? text.write(toFile: "\(directory)/\(name).sql", atomically: true, encoding: .utf8)
  }

  @Test(arguments: SQLServerTestSupport.layouts.map(\.name))
  func mergeStatementsAreExactly(name: String) throws {
    let layout = try #require(SQLServerTestSupport.layouts.first { $0.name == name }?.layout)
    let text = SQLServerTestSupport.render(layout)
    Self.writeIfAsked("merge-\(name)", text)
    let golden = try #require(SQLServerGolden.merge[name])
    #expect(text == golden)
    if text != golden {
      // Name the first statement that differs, which a whole-text diff buries.
      let mine = text.components(separatedBy: "\n-- statement\n")
      let pinned = golden.components(separatedBy: "\n-- statement\n")
      for (a, b) in zip(mine, pinned) where a != b {
        Issue.record("first difference:\n\(a)\n--- pinned:\n\(b)")
        break
      }
    }
  }

  @Test func everyResourceIsPinned() {
    #expect(Set(SQLServerGolden.merge.keys) == Set(SQLServerTestSupport.layouts.map(\.name)))
    #expect(SQLServerTestSupport.layouts.count == 10)
  }

  @Test func ledgerStatementsAreExactly() throws {
    let calls = try SQLServerTestSupport.ledgerStatements()
    let text = calls.map {
      "-- \($0.kind.rawValue) \(SQLServerTestSupport.describe($0.parameters))\n\($0.sql)"
    }
    .joined(separator: "\n-- statement\n")
    Self.writeIfAsked("ledger", text)
    #expect(text == SQLServerGolden.ledger)
  }

  @Test func providerLockIsATransactionOwnedApplock() throws {
    let statement = try #require(ProviderLock.statement(for: "canvas", dialect: .sqlserver))
    #expect(statement.sql == SQLServerGolden.providerLock)
    #expect(statement.parameters == [.text("lmsds:canvas")])
  }

  /// Staging tables are session-private `#` tables; their names must not collide between resources.
  @Test func stagingTablesAreLocalTempTables() {
    var names: Set<String> = []
    for (_, layout) in SQLServerTestSupport.layouts where !layout.carriesSubmissionTypes {
      let merge = MergeStatements(flavor: SQLServerTestSupport.flavor, layout: layout)
      #expect(merge.stageTable.hasPrefix("#lmsds_stage_"))
      #expect(merge.submissionTypeStageTable == "#lmsds_stage_submission_types")
      names.insert(merge.stageTable)
    }
    #expect(names.count == 9)
  }

  /// The PostgreSQL and SQLite staging names are another engineer's and stay as they were.
  @Test func otherDialectsKeepTheirStagingNames() throws {
    let layout = try #require(SQLServerTestSupport.layouts.first { $0.name == "users" }?.layout)
    for dialect in [SQLDialect.postgresql, .sqlite] {
      let merge = MergeStatements(flavor: SQLFlavor(dialect), layout: layout)
      #expect(merge.stageTable == "lmsds_stage_lmsuser")
      #expect(
        merge.createStage[0].hasPrefix("CREATE TEMPORARY TABLE IF NOT EXISTS lmsds_stage_lmsuser (")
      )
    }
  }
}
