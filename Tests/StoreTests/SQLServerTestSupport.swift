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

  /// Every merge statement of one layout, each under a `-- name` line, with its parameters.
  static func render(_ layout: StagingLayout) -> String {
    let merge = MergeStatements(flavor: flavor, layout: layout)
    var parts: [(String, SQLStatement)] = []
    func add(_ name: String, _ statements: [SQLStatement]) {
      for (index, statement) in statements.enumerated() {
        parts.append((statements.count > 1 ? "\(name)[\(index)]" : name, statement))
      }
    }
    add("createStage", merge.createStage.map { SQLStatement($0) })
    add("clearStage", merge.clearStage.map { SQLStatement($0) })
    add("markDuplicateKeys", [merge.markDuplicateKeys])
    add("resolveParents", merge.resolveParents(context))
    add("markGradesOfOtherSections", merge.markGradesOfOtherSections(context).map { [$0] } ?? [])
    add("markOrphans", merge.markOrphans.map { [$0] } ?? [])
    add("linkAttendanceAssociations", merge.linkAttendanceAssociations.map { [$0] } ?? [])
    add("matchExisting", [merge.matchExisting(context)])
    add("counts", [merge.counts])
    add("setAsideRows", [merge.setAsideRows(limit: 5)])
    add("scopeSizes", merge.scopeSizes(context).map { [$0] } ?? [])
    add("applyUpdates", merge.applyUpdates.map { [$0] } ?? [])
    add("applyInserts", [merge.applyInserts])
    add("softDeleteAbsent", merge.softDeleteAbsent(context).map { [$0] } ?? [])
    add("submissionTypeStatements", merge.submissionTypeStatements(context))
    return parts.map { name, statement in
      return "-- \(name)\n-- parameters: \(describe(statement.parameters))\n\(statement.sql)"
    }.joined(separator: "\n-- statement\n")
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
