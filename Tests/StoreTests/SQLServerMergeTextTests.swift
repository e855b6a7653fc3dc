import Foundation
import Messages
import Testing

@testable import Store

/// The exact SQL Server text of each merge step, and of the ledger and lock statements. No SQL
/// Server runs where we build, so each golden string was read before it was pinned here
/// (SQLServerMergeGolden.swift, one small golden per layout and step of its `MergePlan`;
/// SQLServerGolden.swift); SQLServerParseTests hands the same text to a T-SQL parser.
/// After a deliberate change, `LMSDS_WRITE_GOLDEN=/some/dir swift test --filter SQLServer` writes
/// the new texts there (the merge steps as SQLServerMergeGolden.swift, the rest as .sql files):
/// read the diff (and run the SQL through scripts/tsql-parse.py) before copying them in.
@Suite struct SQLServerMergeTextTests {
  static func writeIfAsked(_ name: String, _ text: String, as suffix: String = "sql") {
    guard let directory = ProcessInfo.processInfo.environment["LMSDS_WRITE_GOLDEN"] else { return }
    try? text.write(toFile: "\(directory)/\(name).\(suffix)", atomically: true, encoding: .utf8)
  }

  /// Each layout's steps, as `layout step` (e.g. `grades markGradesOfOtherSections`).
  static let stepCases: [String] = SQLServerTestSupport.layouts.flatMap { name, layout in
    SQLServerTestSupport.steps(layout).map { "\(name) \($0.name)" }
  }

  @Test(arguments: stepCases)
  func mergeStepIsExactly(_ step: String) throws {
    let (layoutName, stepName) = try #require(step.split(separator: " ").map(String.init).pair)
    let layout = try #require(SQLServerTestSupport.layouts.first { $0.name == layoutName }?.layout)
    let text = try #require(SQLServerTestSupport.steps(layout).first { $0.name == stepName }?.text)
    let golden = try #require(SQLServerMergeGolden.steps[layoutName]?[stepName])
    #expect(text == golden)
  }

  /// No pinned step is left over from a plan that lost it, and every layout is pinned.
  @Test func everyStepIsPinned() {
    Self.writeIfAsked(
      "SQLServerMergeGolden", SQLServerTestSupport.mergeGoldenSource(), as: "swift")
    let pinned = SQLServerMergeGolden.steps.flatMap { layout, steps in
      steps.keys.map { "\(layout) \($0)" }
    }
    #expect(Set(pinned) == Set(Self.stepCases))
    #expect(Set(SQLServerMergeGolden.steps.keys) == Set(SQLServerTestSupport.layouts.map(\.name)))
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
}

extension Array {
  /// The two elements of a two-element array.
  fileprivate var pair: (Element, Element)? { count == 2 ? (self[0], self[1]) : nil }
}
