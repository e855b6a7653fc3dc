import Messages
import Testing
import UDM

@testable import Store

/// Which steps merge a file of which layout, in which order, and when each runs: the per-file
/// merge's sequence as data, read without a database.
@Suite struct MergePlanTests {
  static func layout(
    _ kind: ResourceKind, parents: [ParentSpec]? = nil, submissionTypes: Bool = false
  ) -> StagingLayout {
    let spec = ResourceSpec.spec(for: kind)
    return StagingLayout(
      resource: kind, dataColumns: spec.columns, parents: parents ?? spec.parents,
      carriesSubmissionTypes: submissionTypes)
  }

  static func parent(_ kind: ResourceKind, _ column: String) -> MergeStep {
    .resolveParent(ResourceSpec.spec(for: kind).parents.first { $0.column == column }!)
  }

  @Test func usersAreGuardedAndSoftDeletedWithoutParents() {
    let plan = MergePlan(layout: Self.layout(.users), guardsMassDelete: true)
    #expect(
      plan.steps == [
        .analyzeStage, .markDuplicateKeys, .matchExisting, .countRows, .describeSetAside,
        .requireValidRows, .guardMassDelete, .claimSourceSystem, .applyUpdates, .applyInserts,
        .refreshTargetStatistics, .softDeleteAbsent,
      ])
  }

  @Test func allowingMassDeletesDropsOnlyTheGuard() {
    let guarded = MergePlan(layout: Self.layout(.sections), guardsMassDelete: true)
    let allowed = MergePlan(layout: Self.layout(.sections), guardsMassDelete: false)
    #expect(guarded.steps.filter { $0 != .guardMassDelete } == allowed.steps)
    #expect(guarded.steps.contains(.guardMassDelete))
  }

  @Test func gradesCheckTheirSectionAfterResolvingTheAssociation() {
    let plan = MergePlan(layout: Self.layout(.grades), guardsMassDelete: true)
    #expect(
      plan.steps == [
        .analyzeStage, .markDuplicateKeys,
        Self.parent(.grades, "LMSUserLMSSectionAssociationIdentifier"),
        .markGradesOfOtherSections, .markOrphans, .matchExisting, .countRows, .describeSetAside,
        .claimSourceSystem, .applyUpdates, .applyInserts, .refreshTargetStatistics,
        .softDeleteAbsent,
      ])
  }

  @Test func attendanceLinksItsAssociationAfterTheOrphansAreKnown() {
    let plan = MergePlan(layout: Self.layout(.attendanceEvents), guardsMassDelete: true)
    let steps = plan.steps
    #expect(
      Array(steps[2..<6]) == [
        Self.parent(.attendanceEvents, "LMSUserIdentifier"),
        Self.parent(.attendanceEvents, "LMSSectionIdentifier"), .markOrphans,
        .linkAttendanceAssociations,
      ])
    #expect(steps[6] == .matchExisting)
    #expect(!steps.contains(.guardMassDelete))
    #expect(!steps.contains(.markGradesOfOtherSections))
  }

  /// The parents the header carries, in the header's order; none, then no orphan check.
  @Test func parentsFollowTheLayout() {
    let spec = ResourceSpec.spec(for: .sectionActivities)
    let onlyUser = MergePlan(
      layout: Self.layout(.sectionActivities, parents: [spec.parents[1]]), guardsMassDelete: true)
    let resolved = onlyUser.steps.filter { if case .resolveParent = $0 { true } else { false } }
    #expect(resolved.count == 1)
    #expect(onlyUser.steps.contains(.resolveParent(spec.parents[1])))
    let none = MergePlan(
      layout: Self.layout(.sectionActivities, parents: []), guardsMassDelete: true)
    #expect(!none.steps.contains(.markOrphans))
  }

  @Test func submissionTypesComeLastAndOnlyWhenListed() {
    let listed = MergePlan(
      layout: Self.layout(.assignments, submissionTypes: true), guardsMassDelete: true)
    #expect(
      Array(listed.steps.suffix(4)) == [
        .softDeleteAbsent, .restoreSubmissionTypes, .insertSubmissionTypes,
        .deleteUnlistedSubmissionTypes,
      ])
    let unlisted = MergePlan(layout: Self.layout(.assignments), guardsMassDelete: true)
    #expect(unlisted.steps.last == .softDeleteAbsent)
  }

  /// An incremental resource speaks for no stored rows: nothing is soft-deleted.
  @Test func systemActivitiesAreNeverSoftDeleted() {
    let plan = MergePlan(layout: Self.layout(.systemActivities), guardsMassDelete: true)
    #expect(!plan.steps.contains(.softDeleteAbsent))
    #expect(!plan.steps.contains(.guardMassDelete))
    #expect(plan.steps.last == .refreshTargetStatistics)
  }

  /// Every plan marks the rows before it counts them, counts before it decides, and claims the
  /// SourceSystem before its first write.
  @Test(arguments: ResourceKind.allCases)
  func stepsKeepTheirOrder(kind: ResourceKind) throws {
    let plan = MergePlan(
      layout: Self.layout(kind, submissionTypes: kind == .assignments), guardsMassDelete: true)
    let steps = plan.steps
    func at(_ step: MergeStep) throws -> Int { try #require(steps.firstIndex(of: step)) }
    #expect(try at(.markDuplicateKeys) < at(.matchExisting))
    #expect(try at(.matchExisting) < at(.countRows))
    #expect(try at(.countRows) < at(.claimSourceSystem))
    #expect(try at(.claimSourceSystem) < at(.applyUpdates))
    #expect(try at(.applyUpdates) < at(.applyInserts))
    for (index, step) in steps.enumerated() {
      if case .resolveParent = step { #expect(index < (try at(.matchExisting))) }
    }
  }

  @Test func conditionsSkipWhatAFileDoesNotNeed() {
    let none = RowCounts()
    #expect(!MergeStep.analyzeStage.runs(stagedRows: 999, counts: none))
    #expect(MergeStep.analyzeStage.runs(stagedRows: 1_000, counts: none))
    #expect(!MergeStep.markDuplicateKeys.runs(stagedRows: 1, counts: none))
    #expect(MergeStep.markDuplicateKeys.runs(stagedRows: 2, counts: none))
    #expect(!MergeStep.countRows.runs(stagedRows: 0, counts: none))
    #expect(MergeStep.requireValidRows.runs(stagedRows: 0, counts: none))
    #expect(!MergeStep.applyUpdates.runs(stagedRows: 5, counts: none))
    var counts = RowCounts()
    counts.restored = 1
    #expect(MergeStep.applyUpdates.runs(stagedRows: 5, counts: counts))
    #expect(!MergeStep.applyInserts.runs(stagedRows: 5, counts: counts))
    counts.inserted = 1
    #expect(MergeStep.applyInserts.runs(stagedRows: 5, counts: counts))
  }

  /// The caller's decisions have no SQL; statistics steps have SQL on PostgreSQL only.
  @Test(arguments: SQLDialect.allCases)
  func stepsWithoutSQL(dialect: SQLDialect) {
    let merge = MergeStatements(renderer: dialect.mergeRenderer, layout: Self.layout(.users))
    let context = MergeContext(
      sourceSystem: "S", startedAt: "2024-01-02 03:04:05", sectionID: nil, assignmentID: nil)
    func count(_ step: MergeStep) -> Int {
      merge.statements(for: step, context, setAsideLimit: 5).count
    }
    #expect(count(.requireValidRows) == 0)
    #expect(count(.claimSourceSystem) == 0)
    #expect(count(.analyzeStage) == (dialect == .postgresql ? 1 : 0))
    #expect(count(.refreshTargetStatistics) == (dialect == .postgresql ? 1 : 0))
    #expect(count(.matchExisting) == 1)
  }
}
