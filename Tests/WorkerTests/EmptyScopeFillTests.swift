import ExtractorTree
import Logging
import Messages
import Store
import Testing
import UDM

@testable import Worker

/// The first load of an empty scope goes from COPY straight into the target, for users and
/// sections and for section- and assignment-scoped files whose parents the loader looks up
/// (`ParentIdentities`): taken on an empty database, given up for the staged merge on a key written
/// twice or an orphan, never taken for a scope that holds rows (live or soft-deleted). Each case
/// against the per-file oracle.
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
      try pair.tree.write(
        provider, "section=s2/section-associations/\(Stamp.t0)",
        CSVFile.associations(section: "s2", [("a3", "u1"), ("a4", "tab")], source: source))
      // Assignments carry their submission types: merged through the stage.
      try pair.tree.write(
        provider, "section=s1/assignments/\(Stamp.t0)",
        CSVFile.assignments(section: "s1", [("x1", "online"), ("x2", "")], source: source))
      try pair.tree.write(
        provider, "section=s1/assignment=x1/submissions/\(Stamp.t0)",
        CSVFile.submissions(
          assignment: "x1",
          [
            ("x1-u1", "u1", "7", "2021-01-01 10:00:00"), ("x1-u2", "u2", "9.6", ""),
            ("x1-bad", "u3", "many", ""),
          ], source: source))
      try pair.tree.write(
        provider, "section=s1/assignment=x2/submissions/\(Stamp.t0)",
        CSVFile.submissions(assignment: "x2", [("x2-u3", "u3", "", "")], source: source))
    }
    let summary = try pair.load()
    // Users, sections, both association files and both submission files of each provider.
    #expect(summary.filledDirectly == 2 * 6)
    #expect(summary.rows.inserted == 2 * (31 + 2 + 4 + 2 + 3))
    #expect(summary.rows.invalid == 2 * 2)
    #expect(summary.rows.rounded == 2)
    try expectSameTablesAndLedger(pair.setBased, pair.perFile)
    #expect(try pair.setBased.count("LMSUser", where: "Name = 'Tab\tand \\\\ back'") == 2)
    // Each row names its own parents' identities, not merely some parent's.
    let named = try pair.setBased.count(
      "AssignmentSubmission",
      where: """
        EXISTS (SELECT 1 FROM lms.LMSUser AS u, lms.Assignment AS a \
        WHERE u.LMSUserIdentifier = AssignmentSubmission.LMSUserIdentifier \
        AND a.AssignmentIdentifier = AssignmentSubmission.AssignmentIdentifier \
        AND AssignmentSubmission.SourceSystemIdentifier \
        = a.SourceSystemIdentifier || '-' || u.SourceSystemIdentifier \
        AND u.SourceSystem = AssignmentSubmission.SourceSystem \
        AND a.SourceSystem = AssignmentSubmission.SourceSystem)
        """)
    #expect(named == 2 * 3)
  }

  /// A child scope the fill cannot take whole: a row naming a user that is not stored (an orphan,
  /// counted and reported by the staged merge), or a file under a section that is not stored
  /// (every row an orphan). The whole wave is merged through the stage, like the per-file path.
  @Test(arguments: kinds, ["unknown user", "unknown section"])
  func childScopeWithAnOrphanTakesTheStagedMerge(_ kind: TestDatabase.Kind, orphan: String)
    throws
  {
    let pair = try Pair(kind, providers: ["P1"])
    try pair.tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    try pair.tree.write("P1", "sections/\(Stamp.t0)", CSVFile.sections(["s1", "s2"]))
    try pair.tree.write(
      "P1", "section=s1/section-associations/\(Stamp.t0)",
      CSVFile.associations(section: "s1", [("a1", "u1"), ("a2", "u2")]))
    let section = orphan == "unknown section" ? "s9" : "s2"
    try pair.tree.write(
      "P1", "section=\(section)/section-associations/\(Stamp.t0)",
      CSVFile.associations(
        section: section, [("a3", "u1"), ("a4", orphan == "unknown user" ? "u9" : "u2")]))
    let summary = try pair.load()
    #expect(summary.filledDirectly == 2)
    #expect(summary.rows.orphans == (orphan == "unknown user" ? 1 : 2))
    try expectSameTablesAndLedger(pair.setBased, pair.perFile)
    #expect(
      try pair.setBased.count("LMSUserLMSSectionAssociation")
        == (orphan == "unknown user" ? 3 : 2))
  }

  /// A child scope holding a row the ledger never loaded (an adopted database), live or soft-
  /// deleted, is merged: the row is kept or restored, never inserted a second time.
  @Test(arguments: kinds, ["adopted live", "adopted deleted"])
  func childScopeHoldingRowsIsMerged(_ kind: TestDatabase.Kind, filledBy: String) throws {
    let pair = try Pair(kind, providers: ["P1"])
    try pair.tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    try pair.tree.write("P1", "sections/\(Stamp.t0)", CSVFile.sections(["s1", "s2"]))
    #expect(try pair.load().filledDirectly == 2)
    let deletedAt = filledBy == "adopted deleted" ? "'2020-01-01 00:00:00'" : "NULL"
    for database in [pair.setBased, pair.perFile] {
      try database.connection.execute(
        """
        INSERT INTO \(database.table("LMSUserLMSSectionAssociation")) (SourceSystemIdentifier, \
        SourceSystem, EnrollmentStatus, LMSSectionIdentifier, LMSUserIdentifier, CreateDate, \
        LastModifiedDate, DeletedAt) SELECT 'a1', 'LMS1', 'Active', s.LMSSectionIdentifier, \
        u.LMSUserIdentifier, '2020-01-01 00:00:00', '2020-01-01 00:00:00', \(deletedAt) \
        FROM \(database.table("LMSSection")) AS s, \(database.table("LMSUser")) AS u \
        WHERE s.SourceSystemIdentifier = 's2' AND u.SourceSystemIdentifier = 'u1'
        """, [])
    }
    try pair.tree.write(
      "P1", "section=s1/section-associations/\(Stamp.t1)",
      CSVFile.associations(section: "s1", [("a2", "u2")]))
    try pair.tree.write(
      "P1", "section=s2/section-associations/\(Stamp.t1)",
      CSVFile.associations(section: "s2", [("a1", "u1"), ("a3", "u2")]))
    let summary = try pair.load()
    #expect(summary.filledDirectly == 0)
    #expect(summary.rows.restored == (filledBy == "adopted deleted" ? 1 : 0))
    #expect(summary.rows.inserted == 2)
    try expectSameTablesAndLedger(pair.setBased, pair.perFile)
    #expect(try pair.setBased.count("LMSUserLMSSectionAssociation") == 3)
  }

  /// A parent table is read page by page, whole, and given up past its byte budget (the wave then
  /// takes the staged merge).
  @Test(arguments: kinds)
  func parentIdentitiesAreReadPageByPageWithinABudget(_ kind: TestDatabase.Kind) throws {
    let pair = try Pair(kind)
    let ids = (1...7).map { "user-\($0)" }
    try pair.tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(ids))
    try pair.tree.write("P2", "users/\(Stamp.t0)", CSVFile.users(["elsewhere"], source: "LMS2"))
    _ = try pair.load()
    let connection = pair.setBased.connection
    let layout = HeaderPlan.fullLayout(ResourceSpec.spec(for: .sectionAssociations))
    let statements = EmptyScopeStatements(flavor: SQLFlavor(connection.dialect), layout: layout)
    let user = try #require(layout.parents.first { $0.parent == .users })
    let entry = "user-1".utf8.count + ParentIdentities.entryOverhead
    let read = try #require(
      try ParentIdentities.read(
        user, sourceSystem: "LMS1", statements: statements, connection: connection, pageSize: 3))
    func identity(_ key: String) -> Int64? {
      var key = key
      return key.withUTF8 { read.identity(of: UnsafeRawBufferPointer($0)) }
    }
    #expect(read.count == 7)
    let stored = try connection.query(
      "SELECT LMSUserIdentifier FROM lms.LMSUser WHERE SourceSystemIdentifier = 'user-5'", [])
    #expect(identity("user-5") != nil)
    #expect(identity("user-5") == stored.first?.int(0))
    #expect(identity("elsewhere") == nil)
    #expect(read.bytes == 7 * entry)
    #expect(
      try ParentIdentities.read(
        user, sourceSystem: "LMS1", statements: statements, connection: connection,
        byteBudget: 7 * entry - 1, pageSize: 3) == nil)
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

  /// The users one wave read serve the next transaction's waves too (`ParentIdentityCache`). A
  /// user another session added meanwhile is not in them: the row naming it must then take the
  /// staged merge and find that user, never be lost or given another's identity.
  @Test(arguments: kinds)
  func parentsKeptFromAnEarlierTransactionMissNothingAddedSince(_ kind: TestDatabase.Kind)
    throws
  {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    func file(_ relativePath: String, _ text: String) throws -> FileToApply {
      let path = try tree.write("P1", relativePath, text)
      let (sha, size) = try FileHasher.sha256(path: path)
      return FileToApply(
        provider: "P1", absolutePath: path, relativePath: relativePath,
        location: ResourceLocation(relativePath: relativePath)!, sha256: sha, size: size)
    }
    let transaction = database.applyTransaction()
    _ = try transaction.run([
      .apply(try file("users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))),
      .apply(try file("sections/\(Stamp.t0)", CSVFile.sections(["s1", "s2", "s3"]))),
    ])
    let first = try transaction.run([
      .apply(
        try file(
          "section=s1/section-associations/\(Stamp.t0)",
          CSVFile.associations(section: "s1", [("a1", "u1")])))
    ])
    #expect(first.map(\.filledDirectly) == [true])
    #expect(transaction.waves.parentIdentities.count == 1)

    // Another worker, after a rebalance, loads the provider's next users file.
    var quiet = Logger(label: "other")
    quiet.logLevel = .critical
    _ = try ApplyTransaction(
      connection: try DatabaseConnector.open(database.location), options: ApplyOptions(),
      logger: quiet
    ).run([
      .apply(try file("users/\(Stamp.t1)", CSVFile.users(["u1", "u2", "u3"])))
    ])

    let kept = try transaction.run([
      .apply(
        try file(
          "section=s2/section-associations/\(Stamp.t0)",
          CSVFile.associations(section: "s2", [("a2", "u2")])))
    ])
    #expect(kept.map(\.filledDirectly) == [true], "u2 is in the users kept")
    let missed = try transaction.run([
      .apply(
        try file(
          "section=s3/section-associations/\(Stamp.t0)",
          CSVFile.associations(section: "s3", [("a3", "u3")])))
    ])
    #expect(missed.map(\.outcome) == [.loaded])
    #expect(missed.map(\.filledDirectly) == [false], "u3 is not: the staged merge finds it")
    #expect(missed.first?.counts.orphans == 0)
    #expect(
      try database.count(
        "LMSUserLMSSectionAssociation",
        where: """
          SourceSystemIdentifier = 'a3' AND LMSUserIdentifier = \
          (SELECT LMSUserIdentifier FROM lms.LMSUser WHERE SourceSystemIdentifier = 'u3')
          """) == 1)
  }
}
