import Messages
import Testing
import UDM

@testable import Store

/// What each dialect's renderer answers for the set-based merge, read without a database: the
/// wave's statements hold no dialect branch, so these answers are the whole difference.
@Suite struct WaveRendererTests {
  static func wave(_ dialect: SQLDialect, _ kind: ResourceKind) -> WaveStatements {
    let spec = ResourceSpec.spec(for: kind)
    return WaveStatements(
      flavor: SQLFlavor(dialect),
      layout: StagingLayout(
        resource: kind, dataColumns: spec.columns, parents: spec.parents,
        carriesSubmissionTypes: kind == .assignments))
  }

  @Test func sqlServerHasNoSetBasedMergeYet() {
    #expect(!SQLServerMergeRenderer().mergesWaves)
    #expect(SQLFlavor(.sqlserver).waveRenderer == nil)
    #expect(SQLFlavor(.sqlite).waveRenderer?.fillsEmptyScopesDirectly == false)
    #expect(SQLFlavor(.postgresql).waveRenderer?.fillsEmptyScopesDirectly == true)
    #expect(SQLiteMergeRenderer().mergesWaves)
    #expect(PostgreSQLMergeRenderer().mergesWaves)
  }

  /// PostgreSQL gets statistics, planner settings and the full join; SQLite gets indexes instead.
  @Test func statisticsOrIndexes() throws {
    let postgres = Self.wave(.postgresql, .assignments)
    let sqlite = Self.wave(.sqlite, .assignments)
    #expect(postgres.analyzeStage(stagedRows: 1) != nil && postgres.targetRowEstimate != nil)
    #expect(sqlite.analyzeStage(stagedRows: 1) == nil && sqlite.targetRowEstimate == nil)
    #expect(postgres.hashJoinsOnly != nil && postgres.lookupsByIdentityOnly != nil)
    #expect(sqlite.hashJoinsOnly == nil && sqlite.lookupsByIdentityOnly == nil)
    #expect(!postgres.createTables.contains { $0.hasPrefix("CREATE INDEX") })
    // The submission types' stage is indexed with the tables; the rows' stage once it is filled.
    #expect(sqlite.createTables.filter { $0.hasPrefix("CREATE INDEX") }.count == 2)
    #expect(sqlite.indexStageKeys?.hasPrefix("CREATE INDEX") == true)
    #expect(postgres.indexStageKeys == nil)
    #expect(postgres.clearTables.count == 1)
    #expect(sqlite.clearTables.count == 5)
    #expect(sqlite.clearTables.first?.hasPrefix("DROP INDEX") == true)
    #expect(WaveStatements.raiseWorkMemory(SQLFlavor(.postgresql)) != nil)
    #expect(WaveStatements.raiseWorkMemory(SQLFlavor(.sqlite)) == nil)
    // The submission types' stage is analysed only where the scope steps hash.
    #expect(postgres.submissionTypeStatements(now: "2024-01-02 03:04:05").count == 7)
    #expect(sqlite.submissionTypeStatements(now: "2024-01-02 03:04:05").count == 4)
    // The types' insert reads the table it fills: it must hash that table once, not scan it per
    // listed pair (a table analysed empty looked like nothing to scan).
    let steps = postgres.submissionTypeStatements(now: "2024-01-02 03:04:05").map(\.sql)
    let hashed = try #require(postgres.hashJoinsOnly)
    let insert = try #require(steps.firstIndex { $0.hasPrefix("INSERT INTO") })
    let loopsOff = try #require(steps.firstIndex(of: hashed.on))
    let loopsBack = try #require(steps.lastIndex(of: hashed.off))
    #expect(loopsOff < insert && insert < loopsBack)
  }

  /// A small stage is measured on the columns the merge joins on; a large one on every column,
  /// since the classify's hash is sized from all their widths.
  @Test func largeStagesAreMeasuredWhole() {
    let postgres = Self.wave(.postgresql, .users)
    let large = WaveStatements.measuresEveryColumnFrom
    #expect(
      postgres.analyzeStage(stagedRows: large - 1)
        == "ANALYZE \(postgres.stageTable) (file_no, row_ok, orphan, SourceSystemIdentifier)")
    #expect(postgres.analyzeStage(stagedRows: large) == "ANALYZE \(postgres.stageTable)")
    #expect(Self.wave(.sqlite, .users).analyzeStage(stagedRows: large) == nil)
  }

  /// A batch's rows go 500 to a statement to a server, within SQL Server's 2,100 parameters a
  /// request, and one to a cached statement in SQLite's process.
  @Test func batchedRowsFitEachDialect() {
    #expect(SQLFlavor(.sqlite).rowsPerInsert(parametersPerRow: 26) == 1)
    #expect(SQLFlavor(.postgresql).rowsPerInsert(parametersPerRow: 26) == 500)
    #expect(SQLFlavor(.sqlserver).rowsPerInsert(parametersPerRow: 26) == 80)
    #expect(SQLFlavor(.sqlserver).rowsPerInsert(parametersPerRow: 4) == 500)
    let files = (1...3).map {
      WaveFileRow(fileNumber: $0, sourceSystem: "Canvas", sectionID: "s\($0)", assignmentID: nil)
    }
    let sqlite = WaveStatements.insertFiles(files, flavor: SQLFlavor(.sqlite))
    #expect(sqlite.count == 3 && Set(sqlite.map(\.sql)).count == 1)
    #expect(sqlite.map { $0.parameters.first } == [.integer(1), .integer(2), .integer(3)])
    #expect(WaveStatements.insertFiles(files, flavor: SQLFlavor(.postgresql)).count == 1)
  }

  /// Where the soft-delete returns its counts it is the one statement the caller queries;
  /// elsewhere the absent rows are collected into the delta, counted there and soft-deleted by
  /// identity.
  @Test func softDeleteCountsMatchItsForm() throws {
    let postgres = Self.wave(.postgresql, .sections)
    let statement = try #require(postgres.softDeleteAbsent(deletedAt: "2024-01-02 03:04:05"))
    #expect(statement.sql.hasPrefix("WITH gone AS") && statement.sql.contains("RETURNING"))
    #expect(statement.parameters == [.text("2024-01-02 03:04:05")])
    let sqlite = Self.wave(.sqlite, .sections)
    #expect(sqlite.softDeleteAbsent(deletedAt: "2024-01-02 03:04:05") == nil)
    let collect = try #require(sqlite.collectAbsent)
    #expect(collect.sql.hasPrefix("INSERT INTO \(sqlite.deltaTable) (file_no, tid, gone)"))
    #expect(sqlite.goneCounts.sql.contains("WHERE gone = 1 GROUP BY file_no"))
    // Activity has no scope: nothing of it is ever absent.
    #expect(Self.wave(.sqlite, .systemActivities).collectAbsent == nil)
  }

  /// SQLite computes every parent's identity as a row is staged, by the parent's key and the
  /// row's SourceSystem; PostgreSQL resolves them after the COPY, as do parentless resources.
  @Test func parentsAreLookedUpWhileStagingOnlyOnSQLite() {
    let sqlite = Self.wave(.sqlite, .attendanceEvents)
    let derived = sqlite.stageDerivedColumns
    #expect(derived.map(\.name) == ["r_LMSUserIdentifier", "r_LMSSectionIdentifier"])
    let key = sqlite.stageColumns.firstIndex(of: "p_LMSUserSourceSystemIdentifier")! + 1
    let system = sqlite.stageColumns.firstIndex(of: "SourceSystem")! + 1
    #expect(derived[0].expression.contains("= ?\(key) "))
    #expect(derived[0].expression.hasSuffix("= ?\(system))"))
    #expect(sqlite.resolveParents.isEmpty)
    #expect(Self.wave(.postgresql, .attendanceEvents).stageDerivedColumns.isEmpty)
    #expect(Self.wave(.postgresql, .attendanceEvents).resolveParents.count == 2)
    #expect(Self.wave(.sqlite, .users).stageDerivedColumns.isEmpty)
  }

  /// Only provider-scoped resources find their absent rows in the classifying join, and only
  /// where the renderer says so.
  @Test func classifyFindsAbsentFollowsTheRendererAndTheScope() {
    #expect(Self.wave(.postgresql, .users).classifyFindsAbsent)
    #expect(!Self.wave(.postgresql, .grades).classifyFindsAbsent)
    #expect(!Self.wave(.sqlite, .users).classifyFindsAbsent)
  }
}
