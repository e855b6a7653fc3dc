import Messages
import UDM

/// One step of a wave's set-based merge, once its files are staged, their SourceSystems settled
/// and the files that cannot merge dropped. The SQL of a step comes from `WaveStatements`;
/// `settleFiles` is decisions the applier makes at that point (refusals, ownership claims).
public enum WaveStep: Sendable, Hashable {
  /// Gives the freshly filled stage statistics, where the dialect plans with them.
  case analyzeStage
  /// The same for the wave's files table.
  case analyzeFiles
  /// Looks up each file's section or assignment once, for the scope steps.
  case resolveScopes
  /// Whether any file's scope holds a stored row, live or deleted (none on a first load).
  case probeStoredScopes
  /// Indexes the stage by key for the steps that probe it so (duplicates, absent rows).
  case indexStageKeys
  /// A key staged by two files of the wave: its files must go one by one, in order.
  case requireKeysInOneFile
  /// Every row whose key appears more than once in its file is invalid.
  case markDuplicateKeys
  /// Resolves the parents of every staged row.
  case resolveParents
  /// Grades: an association of another section than the directory's makes the row invalid.
  case markGradesOfOtherSections
  /// A valid row naming a parent that cannot be found is an orphan.
  case markOrphans
  /// Attendance: the association of the event's user and section.
  case linkAttendanceAssociations
  /// Copies every new, restored or changed row, with its stored twin, into the delta.
  case classify
  /// Per file, rows read, invalid, orphans and unchanged, counted from the stage.
  case countStage
  /// The same taken from the reading, when no SQL step marked a row.
  case countRead
  /// Per file, rows to insert, restore, update (and, where `classify` finds them, gone).
  case countDelta
  /// Per file, with no stored row in any scope: every mergeable row is an insert.
  case countAllAsInserts
  /// The scope sizes the mass-delete guard needs.
  case measureScopes
  /// Refuses files with no valid row or a mass delete, claims new SourceSystems, and drops the
  /// refused files' rows before anything is written.
  case settleFiles
  /// Whether any file's scope holds a live row (none on a first load: nothing can be absent).
  case probeLiveScopes
  /// Updates changed rows in place and restores deleted ones.
  case applyUpdates
  /// Inserts the rows with no stored twin.
  case applyInserts
  /// Inserts every mergeable row straight from the stage, when no scope holds a stored row.
  case insertFromStage
  /// Refreshes the target's statistics once the session's inserts have grown it enough.
  case refreshTargetStatistics
  /// Soft-deletes the rows `classify` found gone.
  case softDeleteGone
  /// Soft-deletes the live rows of each file's scope that the file no longer holds.
  case softDeleteAbsent
  /// Assignments: each assignment's submission types become exactly the listed set.
  case submissionTypes
  /// Reads the first rows the SQL steps set aside, for the ledger's messages.
  case describeSetAside

  /// When a step present in the plan is worth running for a wave.
  public enum Condition: Sendable, Hashable {
    /// The wave's mergeable files staged at least this many rows.
    case stagedRows(atLeast: Int)
    /// Two files or more merge, and a key may be staged by more than one of them.
    case keysMayRepeatAcrossFiles
    /// A key may be staged twice by one file, and the wave staged two rows or more.
    case keysMayRepeatWithinAFile
    /// A SQL step marked a row invalid or set it aside.
    case markedBySQL
    /// No SQL step did: the reading counted every row.
    case nothingMarkedBySQL
    /// A file is left to write after `settleFiles`.
    case filesToWrite
    /// The counts found rows to update or restore.
    case countedChanges
    /// The counts found rows to insert.
    case countedInserts
    /// `classify` found rows gone.
    case countedGone
    /// `probeLiveScopes` found a live row.
    case liveRowsInScope
    /// A file left to write had rows set aside by a SQL step.
    case setAside
    /// `probeStoredScopes` did not run, or found a stored row in some file's scope.
    case scopesMayHoldRows
    /// `probeStoredScopes` found no stored row in any file's scope.
    case scopesHoldNoRows
    /// A step will probe the stage by key: duplicates within a file may need marking, or some
    /// scope may hold rows that the files no longer list.
    case stageProbedByKey
  }

  /// What must all hold for the step to run, once the plan holds it.
  public var conditions: [Condition] {
    switch self {
    case .analyzeStage: return [.stagedRows(atLeast: 1)]
    case .requireKeysInOneFile: return [.keysMayRepeatAcrossFiles]
    case .markDuplicateKeys: return [.keysMayRepeatWithinAFile]
    case .classify, .countDelta, .measureScopes: return [.scopesMayHoldRows]
    case .countAllAsInserts: return [.scopesHoldNoRows]
    case .countStage: return [.markedBySQL]
    case .countRead: return [.nothingMarkedBySQL]
    case .probeLiveScopes: return [.filesToWrite, .scopesMayHoldRows]
    case .refreshTargetStatistics, .submissionTypes: return [.filesToWrite]
    case .applyUpdates: return [.countedChanges]
    case .applyInserts: return [.countedInserts, .scopesMayHoldRows]
    case .insertFromStage: return [.countedInserts, .scopesHoldNoRows]
    case .softDeleteGone: return [.countedGone]
    case .softDeleteAbsent: return [.liveRowsInScope]
    case .describeSetAside: return [.setAside]
    case .indexStageKeys: return [.stageProbedByKey]
    case .analyzeFiles, .resolveScopes, .resolveParents, .markGradesOfOtherSections, .markOrphans,
      .linkAttendanceAssociations, .probeStoredScopes, .settleFiles:
      return []
    }
  }

  /// Whether the step runs for a wave in the state `facts` describes.
  public func runs(given facts: WaveFacts) -> Bool {
    conditions.allSatisfy { $0.holds(given: facts) }
  }
}

extension WaveStep.Condition {
  func holds(given facts: WaveFacts) -> Bool {
    switch self {
    case .stagedRows(let least): return facts.stagedRows >= least
    case .keysMayRepeatAcrossFiles: return facts.mergingFiles > 1 && facts.keysMayRepeatAcrossFiles
    case .keysMayRepeatWithinAFile: return facts.stagedRows > 1 && facts.keysMayRepeatWithinAFile
    case .markedBySQL: return facts.markedBySQL
    case .nothingMarkedBySQL: return !facts.markedBySQL
    case .filesToWrite: return facts.mergingFiles > 0
    case .countedChanges: return facts.totals.updated + facts.totals.restored > 0
    case .countedInserts: return facts.totals.inserted > 0
    case .countedGone: return facts.totals.softDeleted > 0
    case .liveRowsInScope: return facts.liveRowsInScope == true
    case .setAside: return facts.anySetAside
    case .scopesMayHoldRows: return facts.storedRowsInScope != false
    case .scopesHoldNoRows: return facts.storedRowsInScope == false
    case .stageProbedByKey:
      return WaveStep.markDuplicateKeys.runs(given: facts)
        || WaveStep.Condition.scopesMayHoldRows.holds(given: facts)
    }
  }
}

/// What the applier knows of a wave when it comes to a step: the inputs of `WaveStep.runs`.
public struct WaveFacts: Sendable, Hashable {
  public var mergingFiles = 0
  public var stagedRows = 0
  public var keysMayRepeatAcrossFiles = false
  public var keysMayRepeatWithinAFile = false
  public var markedBySQL = false
  /// The counts of the files left to write (zero before the counting steps).
  public var totals = RowCounts()
  /// Nil until `probeLiveScopes` ran.
  public var liveRowsInScope: Bool?
  /// Nil until `probeStoredScopes` ran.
  public var storedRowsInScope: Bool?
  public var anySetAside = false

  public init() {}
}

/// The ordered steps that merge a wave of one layout on one dialect: which exist follows from the
/// layout (its parents, resource and scope, whether it lists submission types), from what the
/// dialect's renderer can do, and from whether the mass-delete guard is on. Pure data: the wave
/// applier walks it, tests read it.
public struct WavePlan: Sendable, Hashable {
  public let layout: StagingLayout
  public let steps: [WaveStep]

  public init(layout: StagingLayout, flavor: SQLFlavor, guardsMassDelete: Bool) {
    self.layout = layout
    let wave = WaveStatements(flavor: flavor, layout: layout)
    var steps: [WaveStep] = []
    func add(_ step: WaveStep, if present: Bool = true) { if present { steps.append(step) } }
    add(.analyzeStage, if: wave.analyzeStage(stagedRows: 0) != nil)
    add(.analyzeFiles, if: wave.analyzeFiles != nil)
    add(.resolveScopes, if: wave.resolveScopes != nil)
    add(.probeStoredScopes, if: wave.anyStoredInScope != nil)
    add(.indexStageKeys, if: wave.indexStageKeys != nil)
    add(.requireKeysInOneFile)
    add(.markDuplicateKeys)
    add(.resolveParents, if: !wave.resolveParents.isEmpty)
    add(.markGradesOfOtherSections, if: wave.markGradesOfOtherSections != nil)
    add(.markOrphans, if: wave.markOrphans != nil)
    add(.linkAttendanceAssociations, if: wave.linkAttendanceAssociations != nil)
    steps += [.classify, .countStage, .countRead, .countDelta]
    add(.countAllAsInserts, if: wave.anyStoredInScope != nil)
    add(.measureScopes, if: guardsMassDelete && layout.resource.scopeKind == .provider)
    add(.settleFiles)
    // Where `classify` finds the absent rows itself, they are soft-deleted by identity; elsewhere
    // a join of each scope with the stage finds them, skipped when no scope holds a live row.
    let joinsForAbsent = !wave.classifyFindsAbsent && wave.anyLiveInScope != nil
    add(.probeLiveScopes, if: joinsForAbsent)
    steps += [.applyUpdates, .applyInserts]
    add(.insertFromStage, if: wave.anyStoredInScope != nil)
    steps.append(.refreshTargetStatistics)
    add(.softDeleteGone, if: wave.classifyFindsAbsent)
    add(.softDeleteAbsent, if: joinsForAbsent)
    add(.submissionTypes, if: layout.carriesSubmissionTypes)
    add(.describeSetAside)
    self.steps = steps
  }
}
