import Foundation
import LMSDSTestSupport
import Messages
import Testing
import UDM

@testable import Store

/// No SQL Server runs where we build: these helpers capture the SQL Server text the Store produces, so
/// tests can pin it exactly and hand it to scripts/tsql-parse.py.
enum SQLServerTestSupport {
  static let flavor = SQLFlavor(.sqlserver)
  static let context = MergeContext(
    sourceSystem: "Canvas", startedAt: "2024-01-02 03:04:05", sectionID: "sec-1",
    assignmentID: "asg-1")

  /// Every resource with every column and parent; assignments with and without SubmissionType.
  static let layouts: [(name: String, layout: StagingLayout)] =
    ResourceKind.allCases.flatMap { kind -> [(String, StagingLayout)] in
      let spec = ResourceSpec.spec(for: kind)
      func layout(_ types: Bool) -> StagingLayout {
        StagingLayout(
          resource: kind, dataColumns: spec.columns, parents: spec.parents,
          carriesSubmissionTypes: types)
      }
      if spec.hasSubmissionTypes {
        return [(kind.rawValue + "+types", layout(true)), (kind.rawValue, layout(false))]
      }
      return [(kind.rawValue, layout(false))]
    }

  /// The steps a layout's file goes through on SQL Server, each with its statements: the staging
  /// tables' lifecycle, then every step of its `MergePlan` that has SQL, in the plan's order.
  static func steps(_ layout: StagingLayout) -> [(name: String, text: String)] {
    let merge = MergeStatements(renderer: SQLServerMergeRenderer(), layout: layout)
    var parts: [(String, [SQLStatement])] = [
      ("createStage", merge.createStage.map { SQLStatement($0) }),
      ("clearStage", merge.clearStage.map { SQLStatement($0) }),
      ("truncateStage", merge.truncateStage.map { SQLStatement($0) }),
    ]
    for step in MergePlan(layout: layout, guardsMassDelete: true).steps {
      parts.append((name(of: step), merge.statements(for: step, context, setAsideLimit: 5)))
    }
    return parts.filter { !$0.1.isEmpty }.map { name, statements in
      let text = statements.map { statement in
        "-- parameters: \(describe(statement.parameters))\n\(statement.sql)"
      }
      return (name, text.joined(separator: "\n-- statement\n"))
    }
  }

  /// A step's name in the goldens: its case, and the parent column it resolves.
  static func name(of step: MergeStep) -> String {
    if case .resolveParent(let parent) = step { return "resolveParent(\(parent.column))" }
    return String(describing: step)
  }

  /// Every statement of one layout's merge, each under a `-- step` line, with its parameters.
  static func render(_ layout: StagingLayout) -> String {
    steps(layout).map { "-- \($0.name)\n\($0.text)" }.joined(separator: "\n-- statement\n")
  }

  /// The source of SQLServerMergeGolden.swift for the SQL as it renders now.
  static func mergeGoldenSource() -> String {
    func literal(_ text: String) -> String {
      let body = text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { "      \($0)" }.joined(separator: "\n")
      return "#\"\"\"\n\(body)\n      \"\"\"#"
    }
    let entries = layouts.map { layout in
      let steps = self.steps(layout.layout).map { "      \"\($0.name)\": \(literal($0.text))," }
      return "    \"\(layout.name)\": [\n\(steps.joined(separator: "\n"))\n    ],"
    }
    return """
      // Golden SQL Server text of each merge step, by layout and step, generated with
      // LMSDS_WRITE_GOLDEN and read step by step before it was pinned (see SQLServerMergeTextTests).
      // Change it only together with the SQL it pins.
      enum SQLServerMergeGolden {
        static let steps: [String: [String: String]] = [
      \(entries.joined(separator: "\n"))
        ]
      }

      """
  }

  /// Parameters as `[N'text', 1, NULL]`, so that no rendered line ends in a space.
  static func describe(_ parameters: [SQLValue]) -> String {
    "["
      + parameters.map { value -> String in
        if case .text(let text) = value { return "N'\(text)'" }
        return value.description
      }.joined(separator: ", ") + "]"
  }

  /// The SQL Server migration scripts as they are embedded.
  static var migrationScripts: [Migration] { Migration.embedded(for: .sqlserver) }

  /// The text of every statement the Ledger sends, by calling each of its methods once.
  static func ledgerStatements() throws -> [RecordingConnection.Call] {
    let connection = RecordingConnection(dialect: .sqlserver)
    let ledger = Ledger(connection: connection)
    let provider = ProviderName("canvas")
    let timestamp = try #require(NameTimestamp("2024-01-02 03:04:05"))
    _ = try ledger.outcomes(of: [
      FileIdentity(
        provider: provider, relativePath: "users/users-2024.csv", sha256: .repeating("a"))
    ])
    _ = try ledger.watermarks(of: [provider])
    try ledger.advanceWatermarks([
      ScopeID(provider: provider, resource: .users, scopeKey: ""): timestamp
    ])
    _ = try ledger.owners()
    _ = try ledger.firstClaims()
    try ledger.advanceWatermark(
      provider: provider, resource: .assignments, scopeKey: "section=sec-1", to: timestamp)
    _ = try ledger.owner(ofSourceSystem: "Canvas")
    _ = try ledger.sourceSystem(ownedBy: provider)
    try ledger.claim(sourceSystem: "Canvas", for: provider, at: "2024-01-02 03:04:05")
    try ledger.record(
      LedgerEntry(
        provider: provider, resource: .users, relativePath: "users/users-2024.csv",
        sha256: .repeating("a"),
        size: 10, nameTimestamp: timestamp, scopeKey: "", outcome: .loaded,
        startedAt: "2024-01-02 03:04:05"))
    let entry = LedgerEntry(
      provider: provider, resource: .users, relativePath: "users/users-2025.csv",
      sha256: .repeating("c"),
      size: 10, nameTimestamp: timestamp, scopeKey: "", outcome: .loaded,
      startedAt: "2024-01-02 03:04:05")
    try ledger.record([entry, entry])
    _ = try ledger.entries(provider: provider)
    _ = try ledger.knownFiles(provider: provider)
    _ = try ledger.mismatchRecorded(
      FileIdentity(
        provider: provider, relativePath: "users/users-2024.csv", sha256: .repeating("a")),
      size: 10)
    // The dead-letter outbox: a worker's rejection recorded with its claim, then found, claimed,
    // renewed and acknowledged.
    let worker = Ledger(connection: connection, owesDeadLetters: true)
    let rejected = LedgerEntry(
      provider: provider, resource: .users, relativePath: "users/users-2026.csv",
      sha256: .repeating("e"),
      size: 10, nameTimestamp: timestamp, scopeKey: "", outcome: .rejected,
      startedAt: "2024-01-02 03:04:05", finishedAt: "2024-01-02 03:04:06")
    try worker.record(rejected)
    _ = try worker.owedDeadLetterRow(of: rejected)
    let instant = Date(timeIntervalSince1970: 1_704_164_646)
    _ = try worker.owedDeadLetters(claimedBefore: instant, limit: 100)
    let owed = OwedDeadLetter(row: 7, entry: rejected, claimedAt: "2024-01-02 03:04:06")
    _ = try worker.claimDeadLetter(owed, claimedBefore: instant, at: instant)
    _ = try worker.renewDeadLetterClaim(owed, at: instant)
    try worker.markDeadLetterAcknowledged(owed, at: instant)
    return connection.calls
  }

  /// python3 with sqlglot: LMSDS_PYTHON (scripts/test.sh sets it), else the repository's venv, else
  /// python3 on the PATH. nil when none has sqlglot.
  static func pythonWithSQLGlot() -> String? {
    let root = repositoryRoot.path
    var candidates: [String] = []
    if let configured = ProcessInfo.processInfo.environment["LMSDS_PYTHON"] {
      candidates.append(configured.hasPrefix("/") ? configured : "\(root)/\(configured)")
    }
    candidates += ["\(root)/.tools/venv/bin/python", "/usr/bin/env python3"]
    for candidate in candidates {
      let words = candidate.split(separator: " ").map(String.init)
      guard FileManager.default.isExecutableFile(atPath: words[0]) else { continue }
      if let result = try? PipedCommand.run(
        words + ["-c", "import sqlglot"], input: "", in: repositoryRoot), result.status == 0
      {
        return candidate
      }
    }
    return nil
  }
}

/// A connection that runs nothing: it records every call and answers queries from `answer`.
final class RecordingConnection: SQLConnection {
  enum Kind: String, Sendable { case script, execute, query, begin, commit, rollback }

  struct Call: Sendable, Hashable, CustomStringConvertible {
    let kind: Kind
    let sql: String
    let parameters: [SQLValue]
    var description: String { "\(kind.rawValue): \(sql) \(parameters)" }
  }

  let dialect: SQLDialect
  var calls: [Call] = []
  /// Rows for a query; none by default.
  var answer: (String, [SQLValue]) -> [SQLRow] = { _, _ in [] }
  /// Called for every statement that is not a query (scripts and executes).
  var onExecute: (String) -> Void = { _ in }

  init(dialect: SQLDialect) { self.dialect = dialect }

  func executeScript(_ sql: String) throws {
    calls.append(Call(kind: .script, sql: sql, parameters: []))
    onExecute(sql)
  }

  func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
    calls.append(Call(kind: .execute, sql: sql, parameters: parameters))
    onExecute(sql)
    return 1
  }

  func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
    calls.append(Call(kind: .query, sql: sql, parameters: parameters))
    return answer(sql, parameters)
  }

  func makeBulkWriter(table: String, columns: [String]) throws -> any BulkRowWriter {
    throw DatabaseError(.usage, "no bulk writer in RecordingConnection")
  }

  func begin() throws { calls.append(Call(kind: .begin, sql: "", parameters: [])) }
  func commit() throws { calls.append(Call(kind: .commit, sql: "", parameters: [])) }
  func rollback() throws { calls.append(Call(kind: .rollback, sql: "", parameters: [])) }
}
