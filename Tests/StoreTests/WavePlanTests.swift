import Messages
import Testing
import UDM

@testable import Store

/// Which steps merge a wave of which layout on which dialect, in which order, and when each runs:
/// the set-based merge's sequence as data, read without a database.
@Suite struct WavePlanTests {
  static func plan(
    _ kind: ResourceKind, _ dialect: SQLDialect, guardsMassDelete: Bool = true,
    submissionTypes: Bool = false
  ) -> WavePlan {
    let spec = ResourceSpec.spec(for: kind)
    let layout = StagingLayout(
      resource: kind, dataColumns: spec.columns, parents: spec.parents,
      carriesSubmissionTypes: submissionTypes)
    return WavePlan(
      layout: layout, flavor: SQLFlavor(dialect), guardsMassDelete: guardsMassDelete)
  }

  @Test func usersOnPostgreSQLFindTheirAbsentRowsInTheClassifyJoin() {
    #expect(
      Self.plan(.users, .postgresql).steps == [
        .analyzeStage, .analyzeFiles, .probeStoredScopes, .requireKeysInOneFile,
        .markDuplicateKeys, .classify, .countStage, .countRead, .countDelta, .countAllAsInserts,
        .measureScopes, .settleFiles, .applyUpdates, .applyInserts, .insertFromStage,
        .refreshTargetStatistics, .softDeleteGone, .describeSetAside,
      ])
  }

  @Test func usersOnSQLiteProbeTheirScopesAndJoinForTheAbsentRows() {
    #expect(
      Self.plan(.users, .sqlite).steps == [
        .probeStoredScopes, .indexStageKeys, .requireKeysInOneFile, .markDuplicateKeys,
        .classify, .countStage, .countRead, .countDelta, .countAllAsInserts, .measureScopes,
        .settleFiles,
        .probeLiveScopes, .applyUpdates, .applyInserts, .insertFromStage,
        .refreshTargetStatistics, .softDeleteAbsent, .describeSetAside,
      ])
  }

  @Test func allowingMassDeletesDropsOnlyTheMeasure() {
    for dialect in [SQLDialect.postgresql, .sqlite] {
      let guarded = Self.plan(.sections, dialect)
      let allowed = Self.plan(.sections, dialect, guardsMassDelete: false)
      #expect(guarded.steps.filter { $0 != .measureScopes } == allowed.steps)
      #expect(guarded.steps.contains(.measureScopes))
    }
  }

  @Test func scopedResourcesResolveTheirScopeAndParentsAndAreNeverMeasured() {
    for dialect in [SQLDialect.postgresql, .sqlite] {
      let steps = Self.plan(.submissions, dialect).steps
      #expect(!steps.contains(.measureScopes))
      #expect(!steps.contains(.softDeleteGone))
      let order: [WaveStep] = [
        .resolveScopes, .markOrphans, .classify, .settleFiles, .probeLiveScopes, .applyUpdates,
        .applyInserts, .softDeleteAbsent,
      ]
      #expect(steps.filter(order.contains) == order)
    }
    // SQLite looks the parents up as the rows are staged; PostgreSQL's COPY cannot, so an UPDATE
    // of the stage resolves them before the orphans are marked.
    let postgres = Self.plan(.submissions, .postgresql).steps
    #expect(postgres.firstIndex(of: .resolveParents)! < postgres.firstIndex(of: .markOrphans)!)
    #expect(!Self.plan(.submissions, .sqlite).steps.contains(.resolveParents))
  }

  @Test func gradesAndAttendanceHaveTheirOwnStepsBetweenParentsAndOrphansOrAfter() {
    let grades = Self.plan(.grades, .postgresql).steps
    let gradesOrder: [WaveStep] = [.resolveParents, .markGradesOfOtherSections, .markOrphans]
    #expect(grades.filter(gradesOrder.contains) == gradesOrder)
    #expect(!grades.contains(.linkAttendanceAssociations))
    let attendance = Self.plan(.attendanceEvents, .postgresql).steps
    let attendanceOrder: [WaveStep] = [.markOrphans, .linkAttendanceAssociations, .classify]
    #expect(attendance.filter(attendanceOrder.contains) == attendanceOrder)
    #expect(!attendance.contains(.markGradesOfOtherSections))
  }

  @Test func incrementalActivityIsNeverSoftDeleted() {
    let steps = Self.plan(.systemActivities, .sqlite).steps
    #expect(!steps.contains(.probeLiveScopes))
    // Its rows have no scope: a key may be stored whatever the files, so every wave classifies.
    #expect(!steps.contains(.probeStoredScopes))
    #expect(steps.contains(.indexStageKeys))
    #expect(!steps.contains(.insertFromStage))
    #expect(!steps.contains(.softDeleteAbsent))
    #expect(!steps.contains(.softDeleteGone))
  }

  @Test func submissionTypesFollowTheWritesOnlyWhenTheHeaderListsThem() {
    let listed = Self.plan(.assignments, .sqlite, submissionTypes: true).steps
    let unlisted = Self.plan(.assignments, .sqlite).steps
    #expect(listed.filter { $0 != .submissionTypes } == unlisted)
    #expect(listed.firstIndex(of: .submissionTypes)! > listed.firstIndex(of: .applyInserts)!)
  }

  @Test func eachStepRunsOnlyWhenWhatTheWaveFoundCallsForIt() {
    var facts = WaveFacts()
    facts.mergingFiles = 1
    facts.stagedRows = 1
    facts.keysMayRepeatAcrossFiles = true
    facts.keysMayRepeatWithinAFile = true
    // One file cannot repeat a key across files; one row cannot repeat one within its file.
    #expect(!WaveStep.requireKeysInOneFile.runs(given: facts))
    #expect(!WaveStep.markDuplicateKeys.runs(given: facts))
    #expect(WaveStep.analyzeStage.runs(given: facts))
    facts.mergingFiles = 2
    facts.stagedRows = 2
    #expect(WaveStep.requireKeysInOneFile.runs(given: facts))
    #expect(WaveStep.markDuplicateKeys.runs(given: facts))

    // The reading's counts hold unless a SQL step marked a row.
    #expect(WaveStep.countRead.runs(given: facts) && !WaveStep.countStage.runs(given: facts))
    facts.markedBySQL = true
    #expect(!WaveStep.countRead.runs(given: facts) && WaveStep.countStage.runs(given: facts))

    // The writes follow the counts of the files left to write: none once every file is refused.
    facts.mergingFiles = 0
    #expect(!WaveStep.applyUpdates.runs(given: facts))
    #expect(!WaveStep.applyInserts.runs(given: facts))
    #expect(!WaveStep.probeLiveScopes.runs(given: facts))
    facts.mergingFiles = 1
    facts.totals.restored = 1
    facts.totals.inserted = 3
    #expect(WaveStep.applyUpdates.runs(given: facts))
    #expect(WaveStep.applyInserts.runs(given: facts))
    #expect(WaveStep.probeLiveScopes.runs(given: facts))
    #expect(!WaveStep.softDeleteGone.runs(given: facts))
    facts.totals.softDeleted = 1
    #expect(WaveStep.softDeleteGone.runs(given: facts))

    // Absent rows are looked for only where the probe found a live row.
    #expect(!WaveStep.softDeleteAbsent.runs(given: facts))
    facts.liveRowsInScope = false
    #expect(!WaveStep.softDeleteAbsent.runs(given: facts))
    facts.liveRowsInScope = true
    #expect(WaveStep.softDeleteAbsent.runs(given: facts))
    #expect(!WaveStep.describeSetAside.runs(given: facts))
    facts.anySetAside = true
    #expect(WaveStep.describeSetAside.runs(given: facts))
  }

  /// SQLite indexes a filled stage by key only for a step that probes it so: marking duplicates,
  /// or looking for the stored rows a file no longer lists. PostgreSQL hashes instead.
  @Test func theStageIsIndexedByKeyOnlyWhereAStepProbesItSo() {
    #expect(!Self.plan(.submissions, .postgresql).steps.contains(.indexStageKeys))
    let steps = Self.plan(.submissions, .sqlite).steps
    let order: [WaveStep] = [
      .resolveScopes, .probeStoredScopes, .indexStageKeys, .markDuplicateKeys, .softDeleteAbsent,
    ]
    #expect(steps.filter(order.contains) == order)
    var facts = WaveFacts()
    facts.mergingFiles = 1
    facts.stagedRows = 2
    // Until the probe has run, some scope may hold rows.
    #expect(WaveStep.indexStageKeys.runs(given: facts))
    facts.storedRowsInScope = true
    #expect(WaveStep.indexStageKeys.runs(given: facts))
    facts.storedRowsInScope = false
    #expect(!WaveStep.indexStageKeys.runs(given: facts))
    facts.keysMayRepeatWithinAFile = true
    #expect(WaveStep.indexStageKeys.runs(given: facts))
    facts.stagedRows = 1
    #expect(!WaveStep.indexStageKeys.runs(given: facts))
  }

  /// A wave whose scopes hold no stored row (a first load) counts every mergeable row as an
  /// insert and writes them from the stage; the classifying join, its counts, the scope measure
  /// and the probe for live rows are left out. Until the probe has run, nothing changes.
  @Test func scopesWithNoStoredRowSkipTheClassifyJoin() {
    let classified: [WaveStep] = [
      .classify, .countDelta, .measureScopes, .probeLiveScopes, .applyInserts,
    ]
    let firstLoad: [WaveStep] = [.countAllAsInserts, .insertFromStage]
    var facts = WaveFacts()
    facts.mergingFiles = 1
    facts.totals.inserted = 5
    #expect(classified.allSatisfy { $0.runs(given: facts) })
    #expect(!firstLoad.contains { $0.runs(given: facts) })
    facts.storedRowsInScope = true
    #expect(classified.allSatisfy { $0.runs(given: facts) })
    #expect(!firstLoad.contains { $0.runs(given: facts) })
    facts.storedRowsInScope = false
    #expect(!classified.contains { $0.runs(given: facts) })
    #expect(firstLoad.allSatisfy { $0.runs(given: facts) })
    facts.totals.inserted = 0
    #expect(!WaveStep.insertFromStage.runs(given: facts))
    // The probe comes after the scopes are resolved and before the join it may spare.
    for kind in [ResourceKind.users, .submissions, .grades] {
      let steps = Self.plan(kind, .sqlite).steps
      let order: [WaveStep] = [
        .probeStoredScopes, .classify, .countDelta, .countAllAsInserts, .settleFiles,
        .applyInserts, .insertFromStage,
      ]
      #expect(steps.filter(order.contains) == order)
    }
  }
}
