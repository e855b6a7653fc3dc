import ExtractorTree
import Messages
import Store
import Testing

@testable import Worker

/// The first load of an empty scope (users, sections) goes from COPY straight into the target:
/// taken on an empty database, given up for the staged merge on a key written twice, never taken
/// for a scope that holds rows (live or soft-deleted). Each case against the per-file oracle.
@Suite struct EmptyScopeFillTests {
  /// Where the fill applies: the set-based merge on PostgreSQL, through libpq or ODBC.
  static let kinds = TestDatabase.available.filter { $0.setBased && $0.backend != .sqlite }

  /// How many times a kind's wave of empty scopes is filled directly per file: 1 or 0.
  static func fills(_ kind: TestDatabase.Kind) -> Int { kinds.contains(kind) ? 1 : 0 }

  /// The two databases of a comparison, and the tree both load.
  struct Pair {
    let setBased: TestDatabase
    let perFile: TestDatabase
    let tree: TreeBuilder
    let providers: [String]

    init(_ kind: TestDatabase.Kind, providers: [String] = ["P1", "P2"]) throws {
      setBased = try TestDatabase(kind)
      perFile = try TestDatabase(
        TestDatabase.Kind.allCases.first { $0.backend == kind.backend && !$0.setBased }!)
      tree = try TreeBuilder()
      self.providers = providers
    }

    /// Loads the tree into both; returns the set-based run's summary.
    func load() throws -> LoadSummary {
      let roots = providers.map { SourceRoot(provider: ProviderName($0), path: tree.provider($0)) }
      let summary = try WorkerTests.load(setBased, roots)
      _ = try WorkerTests.load(perFile, roots)
      return summary
    }
  }

  @Test(arguments: kinds)
  func firstNightFillsEveryEmptyScope(_ kind: TestDatabase.Kind) throws {
    let pair = try Pair(kind)
    for provider in pair.providers {
      let source = "LMS-\(provider)"
      try pair.tree.write(
        provider, "users/\(Stamp.t0)",
        CSVFile.lines(
          CSVFile.usersHeader,
          (1...30).map { CSVFile.userRow("u\($0)", source: source) } + [
            "bad,\(source),student,Bad Date,bad@example.org,not-a-date,2021-01-01 00:00:00",
            "tab,\(source),student,\"Tab\tand \\\\ back\",tab@example.org,\(CSVFile.datesValue)",
          ]))
      try pair.tree.write(
        provider, "sections/\(Stamp.t0)", CSVFile.sections(["s1", "s2"], source: source))
      try pair.tree.write(
        provider, "section=s1/section-associations/\(Stamp.t0)",
        CSVFile.associations(section: "s1", [("a1", "u1"), ("a2", "u2")], source: source))
    }
    let summary = try pair.load()
    #expect(summary.filledDirectly == 4)
    #expect(summary.rows.inserted == 2 * (31 + 2 + 2))
    #expect(summary.rows.invalid == 2)
    try expectSameTablesAndLedger(pair.setBased, pair.perFile)
    #expect(try pair.setBased.count("LMSUser", where: "Name = 'Tab\tand \\\\ back'") == 2)
  }

  /// A key written twice in an empty scope: every row with it is invalid, so the fill gives way to
  /// the staged merge, whichever rows carry it. The clean sections file still goes straight in.
  /// The rows copied before the fill gave way used up identity values: only those differ.
  @Test(arguments: kinds, ["valid twice", "invalid and valid", "invalid twice"])
  func keyWrittenTwiceTakesTheStagedMerge(_ kind: TestDatabase.Kind, repeated: String) throws {
    let pair = try Pair(kind, providers: ["P1"])
    let bad = "u2,LMS1,student,Bad,u2@example.org,not-a-date,2021-01-01 00:00:00"
    let twice: [String]
    switch repeated {
    case "valid twice": twice = [CSVFile.userRow("u2"), CSVFile.userRow("u2", name: "Again")]
    case "invalid and valid": twice = [bad, CSVFile.userRow("u2")]
    default: twice = [bad, bad]
    }
    try pair.tree.write(
      "P1", "users/\(Stamp.t0)",
      CSVFile.lines(CSVFile.usersHeader, [CSVFile.userRow("u1")] + twice + [CSVFile.userRow("u3")]))
    try pair.tree.write("P1", "sections/\(Stamp.t0)", CSVFile.sections(["s1"]))
    let summary = try pair.load()
    #expect(summary.filledDirectly == 1)
    try expectSameTablesAndLedger(pair.setBased, pair.perFile, ignoringIdentities: ["LMSUser"])
    let users = try ledger(pair.setBased).first { $0.resource == .users }
    #expect(users?.outcome == .loaded)
    #expect(users?.counts.invalid == 2)
    #expect(users?.counts.inserted == 2)
    #expect(try pair.setBased.count("LMSUser", where: "SourceSystemIdentifier = 'u2'") == 0)
  }

  /// A scope that holds rows is merged: one the ledger has loaded before, and one filled by
  /// another loader (an adopted database, no ledger row) whose rows are live or only soft-deleted;
  /// a returning row is restored, never inserted a second time.
  @Test(arguments: kinds, ["loaded before", "adopted live", "adopted deleted"])
  func filledScopeIsMerged(_ kind: TestDatabase.Kind, filledBy: String) throws {
    let pair = try Pair(kind, providers: ["P1"])
    if filledBy == "loaded before" {
      try pair.tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2", "u3"]))
      #expect(try pair.load().filledDirectly == 1)
    } else {
      let deletedAt = filledBy == "adopted deleted" ? "'2020-01-01 00:00:00'" : "NULL"
      for database in [pair.setBased, pair.perFile] {
        for id in ["u1", "u2", "u3"] {
          try database.connection.execute(
            """
            INSERT INTO \(database.table("LMSUser")) (SourceSystemIdentifier, SourceSystem, \
            UserRole, Name, EmailAddress, CreateDate, LastModifiedDate, DeletedAt) \
            VALUES ('\(id)', 'LMS1', 'student', 'User \(id)', '\(id)@example.org', \
            '2020-01-01 00:00:00', '2020-01-01 00:00:00', \(deletedAt))
            """, [])
        }
      }
    }
    // Adopted live rows all go: a fill would have left them live beside the new ones.
    let next = filledBy == "adopted live" ? ["u4", "u5"] : ["u2", "u3", "u4"]
    try pair.tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(next))
    let summary = try pair.load()
    #expect(summary.filledDirectly == 0)
    #expect(summary.rows.inserted == (filledBy == "adopted live" ? 2 : 1))
    #expect(summary.rows.restored == (filledBy == "adopted deleted" ? 2 : 0))
    #expect(
      summary.rows.softDeleted
        == ["loaded before": 1, "adopted live": 3, "adopted deleted": 0][filledBy])
    try expectSameTablesAndLedger(pair.setBased, pair.perFile)
  }
}
