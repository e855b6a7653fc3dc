import Messages
import UDM

/// One step of a staged file's merge (load-semantics §5–7), in dialect-neutral terms. The SQL of
/// a step comes from `MergeStatements.statements(for:_:setAsideLimit:)`; steps with none
/// (`requireValidRows`, `claimSourceSystem`) are decisions the caller makes at that point.
public enum MergeStep: Sendable, Hashable {
  /// Gives the freshly filled stage statistics, where the dialect plans with them.
  case analyzeStage
  /// Every row whose key appears more than once in the file is invalid.
  case markDuplicateKeys
  /// Resolves one parent reference by (its SourceSystemIdentifier, SourceSystem).
  case resolveParent(ParentSpec)
  /// Grades: an association of another section than the directory's makes the row invalid.
  case markGradesOfOtherSections
  /// A valid row naming a parent that cannot be found is an orphan.
  case markOrphans
  /// Attendance: the association of the event's user and section.
  case linkAttendanceAssociations
  /// Finds each mergeable row's stored twin, and whether it is deleted or differs.
  case matchExisting
  /// Counts the rows by fate: the ledger's counts, and which writes follow.
  case countRows
  /// Reads the first rows the steps above set aside, for the ledger's message.
  case describeSetAside
  /// Users and sections: a file with no valid row is refused (it would empty its scope).
  case requireValidRows
  /// Refuses a file that would soft-delete most of its scope's live rows.
  case guardMassDelete
  /// Records the provider as the SourceSystem's owner, before the file writes anything.
  case claimSourceSystem
  /// Updates changed rows in place and restores deleted ones.
  case applyUpdates
  /// Inserts the mergeable rows that have no stored twin.
  case applyInserts
  /// Refreshes the target's statistics once the session's inserts have grown it enough.
  case refreshTargetStatistics
  /// Soft-deletes the live rows of the scope that the file no longer holds.
  case softDeleteAbsent
  /// Assignments: restores the listed submission types that were deleted,
  case restoreSubmissionTypes
  /// inserts those never stored,
  case insertSubmissionTypes
  /// and soft-deletes those no longer listed.
  case deleteUnlistedSubmissionTypes

  /// When a step present in the plan is worth running for one file.
  public enum Condition: Sendable, Hashable {
    case always
    /// The file staged at least this many rows.
    case stagedRows(atLeast: Int)
    /// `countRows` found rows to update or restore.
    case countedChanges
    /// `countRows` found rows to insert.
    case countedInserts
  }

  public var condition: Condition {
    switch self {
    // Statistics cost more than they save on a small stage.
    case .analyzeStage: return .stagedRows(atLeast: 1_000)
    case .markDuplicateKeys: return .stagedRows(atLeast: 2)
    case .resolveParent, .markGradesOfOtherSections, .markOrphans, .linkAttendanceAssociations,
      .matchExisting, .countRows, .describeSetAside:
      return .stagedRows(atLeast: 1)
    case .applyUpdates: return .countedChanges
    case .applyInserts: return .countedInserts
    case .requireValidRows, .guardMassDelete, .claimSourceSystem, .refreshTargetStatistics,
      .softDeleteAbsent, .restoreSubmissionTypes, .insertSubmissionTypes,
      .deleteUnlistedSubmissionTypes:
      return .always
    }
  }

  /// Whether the step runs for a file that staged `stagedRows` rows, counted as `counts` (zero
  /// before `countRows`).
  public func runs(stagedRows: Int, counts: RowCounts) -> Bool {
    switch condition {
    case .always: return true
    case .stagedRows(let least): return stagedRows >= least
    case .countedChanges: return counts.updated + counts.restored > 0
    case .countedInserts: return counts.inserted > 0
    }
  }
}

/// The ordered steps that merge one staged file of a layout: which exist follows from the layout
/// (its parents, its resource, its scope, whether it lists submission types) and from whether the
/// mass-delete guard is on. Pure data: the per-file applier walks it, tests read it.
public struct MergePlan: Sendable, Hashable {
  public let layout: StagingLayout
  public let steps: [MergeStep]

  public init(layout: StagingLayout, guardsMassDelete: Bool) {
    self.layout = layout
    let resource = layout.resource
    var steps: [MergeStep] = [.analyzeStage, .markDuplicateKeys]
    steps += layout.parents.map(MergeStep.resolveParent)
    if resource == .grades, !layout.parents.isEmpty { steps.append(.markGradesOfOtherSections) }
    if !layout.parents.isEmpty { steps.append(.markOrphans) }
    if resource == .attendanceEvents { steps.append(.linkAttendanceAssociations) }
    steps += [.matchExisting, .countRows, .describeSetAside]
    if resource.scopeKind == .provider {
      steps.append(.requireValidRows)
      if guardsMassDelete { steps.append(.guardMassDelete) }
    }
    steps += [.claimSourceSystem, .applyUpdates, .applyInserts, .refreshTargetStatistics]
    if resource.scopeKind != .incremental { steps.append(.softDeleteAbsent) }
    if layout.carriesSubmissionTypes {
      steps += [.restoreSubmissionTypes, .insertSubmissionTypes, .deleteUnlistedSubmissionTypes]
    }
    self.steps = steps
  }
}
