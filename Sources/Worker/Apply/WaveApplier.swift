import CSV
import Logging
import Messages
import Store
import UDM

/// Merges a wave — files of one resource, each in its own scope — with one statement set for all
/// of them (where the dialect's renderer `mergesWaves`: PostgreSQL and SQLite): one COPY, one
/// statement per merge step, per-file figures by `GROUP BY file_no`. A file-level refusal removes
/// that file's rows before anything is written. The steps after staging are the layout's
/// `WavePlan`, each run when its condition holds for what the wave has found so far.
///
/// Runs inside the caller's transaction and savepoint. It throws `WaveNeedsFilesOneByOne` when the
/// wave cannot be merged at once (a key staged by two of its files) and lets a database error out:
/// the caller rolls the wave back and applies its files one by one.
final class WaveApplier {
  let connection: any SQLConnection
  let options: ApplyOptions
  let flavor: SQLFlavor
  private var tablesMade: Set<ResourceKind> = []
  private var insertGrowth = InsertGrowth()
  private var plans: [StagingLayout: WavePlan] = [:]
  let headerPlans = HeaderPlans()
  /// Kept from one child wave to the next (`EmptyScopeFill`).
  var parentIdentities = ParentIdentityCache()

  init(connection: any SQLConnection, options: ApplyOptions) {
    self.connection = connection
    self.options = options
    self.flavor = SQLFlavor(connection.dialect)
  }

  /// Forgets the session's wave tables, after a rollback that may have removed them.
  func transactionRolledBack() {
    tablesMade.removeAll()
    insertGrowth.reset()
    parentIdentities.removeAll()
  }

  /// Makes the resource's wave tables; outside any savepoint, so a rolled-back wave keeps them.
  func prepareTables(for resource: ResourceKind) throws {
    guard !tablesMade.contains(resource) else { return }
    let full = WaveStatements(
      flavor: flavor, layout: HeaderPlan.fullLayout(ResourceSpec.spec(for: resource)))
    for sql in full.createTables { try connection.executeScript(sql) }
    tablesMade.insert(resource)
  }

  /// One file of the wave while it is merged.
  private struct Member {
    /// Its digest filled in by the read where the scan left it unhashed.
    var file: FileToApply
    let number: Int
    var staged = StagedFile()
    var sourceSystem: String?
    var refusal: String?
    /// The refusal is that the bytes read were not the identity's (`FileRejection.mismatched`).
    var mismatched = false
    /// Read and counted, but nothing to merge (no SourceSystem known yet).
    var nothingToMerge = false
    var counts = RowCounts()
    var setAside: [String] = []
    var problems: [String] { staged.problems }
  }

  /// Files of the wave whose header differs from the first one's: they commute with the rest, so
  /// the caller applies them one by one after the wave.
  private(set) var deferred: [FileToApply] = []

  /// The last wave went straight into empty scopes (`fillEmptyScopes`), not through the stage.
  private(set) var filledDirectly = false

  /// Merges `files` (one resource, distinct scopes, all to be applied) and returns their ledger
  /// entries, in order; `deferred` then lists the files left to the per-file path.
  func apply(
    _ files: [FileToApply], deletedAt: String, history: LedgerHistory = LedgerHistory(),
    ownership: inout SourceSystemOwnership
  ) throws -> [LedgerEntry] {
    deferred = []
    filledDirectly = false
    guard let resource = files.first?.location.resource else { return [] }
    parentIdentities.forget(resource)
    if let entries = try fillEmptyScopes(
      files, deletedAt: deletedAt, history: history, ownership: &ownership)
    {
      filledDirectly = true
      return entries
    }
    let spec = ResourceSpec.spec(for: resource)
    let full = WaveStatements(flavor: flavor, layout: HeaderPlan.fullLayout(spec))
    for sql in full.clearTables { try connection.execute(sql) }
    var run = try stage(files, spec: spec, full: full)
    try settleSourceSystems(&run, ownership: ownership)
    for step in plan(for: run.wave.layout).steps where step.runs(given: run.facts) {
      try perform(step, &run, deletedAt: deletedAt, ownership: &ownership)
    }
    return ledgerEntries(run.members, started: deletedAt)
  }

  private func plan(for layout: StagingLayout) -> WavePlan {
    if let plan = plans[layout] { return plan }
    let plan = WavePlan(layout: layout, flavor: flavor, guardsMassDelete: !options.allowMassDelete)
    plans[layout] = plan
    return plan
  }

  /// A wave while it is merged: its files and what the steps found so far.
  private struct WaveRun {
    let spec: ResourceSpec
    var members: [Member]
    /// The statements of the wave's layout (the first file's header).
    let wave: WaveStatements
    /// Whether a key may be staged twice within a file, or by two files (`StagedKeys`).
    let keysMayRepeat: (withinAFile: Bool, acrossFiles: Bool)
    var markedBySQL = false
    var counted: [Int: RowCounts] = [:]
    var setAsideCount: [Int: Int] = [:]
    var sizes: [Int: (live: Int, absent: Int)] = [:]
    var liveRowsInScope: Bool?
    var storedRowsInScope: Bool?

    /// The files still to merge: not refused, with a SourceSystem to merge under.
    var merging: [Member] { members.filter { $0.refusal == nil && !$0.nothingToMerge } }

    /// Asked before every step: it reads the members in place, since copying each one (its
    /// problems and submission types) for every step of a 2,000-file wave showed in profiles.
    var facts: WaveFacts {
      var facts = WaveFacts()
      facts.keysMayRepeatAcrossFiles = keysMayRepeat.acrossFiles
      facts.keysMayRepeatWithinAFile = keysMayRepeat.withinAFile
      facts.markedBySQL = markedBySQL
      facts.liveRowsInScope = liveRowsInScope
      facts.storedRowsInScope = storedRowsInScope
      for index in members.indices
      where members[index].refusal == nil && !members[index].nothingToMerge {
        facts.mergingFiles += 1
        facts.stagedRows += members[index].staged.rowsRead
        facts.totals = facts.totals + members[index].counts
        if (setAsideCount[members[index].number] ?? 0) > 0 { facts.anySetAside = true }
      }
      return facts
    }
  }

  /// Streams every file of the wave through one bulk writer, checking each file's bytes against
  /// its identity; a file whose header differs from the first one's is deferred.
  private func stage(_ files: [FileToApply], spec: ResourceSpec, full: WaveStatements) throws
    -> WaveRun
  {
    var members: [Member] = []
    var layout: StagingLayout?
    var writer: (any BulkRowWriter)?
    var statements: WaveStatements?
    var typeRows: [(Int, String, String)] = []
    let keys = StagedKeys()
    for file in files {
      var member = Member(file: file, number: members.count + 1)
      let stager = RowStager(location: file.location, spec: spec, reportLimit: options.reportLimit)
      var read: (reader: CSVReader, content: StagedContent)?
      do {
        let reader = try CSVReader(path: file.absolutePath)
        read = (reader, StagedContent(observing: reader))
        if let plan = try stager.readHeader(reader, plans: headerPlans) {
          if layout == nil {
            layout = plan.layout
            let made = WaveStatements(flavor: flavor, layout: plan.layout)
            statements = made
            writer = try connection.makeBulkWriter(
              table: made.stageTable, columns: made.stageColumns,
              derived: made.stageDerivedColumns)
          }
          guard plan.layout == layout, let writer else {
            deferred.append(file)
            continue
          }
          member.staged.plan = plan
          try stager.stageRows(
            reader, plan: plan, writer: writer, into: &member.staged,
            fileNumber: Int64(member.number), keys: keys)
          typeRows += member.staged.submissionTypes.map { (member.number, $0.0, $0.1) }
        } else {
          member.staged.headerless = true
        }
      } catch let rejection as FileRejection {
        member.refusal = rejection.reason
      } catch let error as CSVError {
        member.refusal = FileApplier.reason(error, path: file.absolutePath)
      }
      // Every byte of the file is held to its identity, the rest read when a bad record stopped
      // the parse: a refusal is only about this file if the bytes are its bytes.
      if let read,
        let why = read.content.mismatchOfWholeFile(
          read.reader, expectedSHA256: file.sha256, expectedSize: file.size)
      {
        member.refusal = why
        member.mismatched = true
      }
      if file.sha256 == nil {
        // The scan left it unhashed: its identity is the digest of the bytes staged, and one that
        // could not be opened has none to make known.
        member.file.sha256 = read?.content.sha256 ?? StagedContent.nothingRead
        if read == nil { member.mismatched = true }
      }
      members.append(member)
    }
    if let writer { try writer.finish() }
    if !typeRows.isEmpty {
      let typeWriter = try connection.makeBulkWriter(
        table: WaveStatements.submissionTypeStageTable,
        columns: WaveStatements.submissionTypeStageColumns)
      for (number, key, type) in typeRows {
        typeWriter.append(Int64(number))
        typeWriter.append(key)
        typeWriter.append(type)
        try typeWriter.endRow()
      }
      try typeWriter.finish()
    }
    return WaveRun(
      spec: spec, members: members, wave: statements ?? full,
      keysMayRepeat: (keys.mayRepeatWithinAFile, keys.mayRepeatAcrossFiles))
  }

  /// Each file's SourceSystem: its rows', else the one its provider owns (an empty snapshot).
  /// The files that cannot merge leave the stage; the others go into the wave's files table.
  private func settleSourceSystems(_ run: inout WaveRun, ownership: SourceSystemOwnership) throws {
    for index in run.members.indices where run.members[index].refusal == nil {
      let member = run.members[index]
      if let named = member.staged.sourceSystem {
        if let owner = ownership.owners[named], owner != member.file.provider {
          run.members[index].refusal = Self.ownedElsewhere(
            named, line: member.staged.sourceSystemLine, owner: owner)
        } else {
          run.members[index].sourceSystem = named
        }
      } else if let owned = ownership.firstClaims[member.file.provider] {
        run.members[index].sourceSystem = owned
      } else if run.spec.kind.scopeKind == .provider {
        run.members[index].refusal = FileApplier.noValidRows(run.spec, member.staged).reason
      } else {
        run.members[index].nothingToMerge = true
        run.members[index].counts.rowsRead = member.staged.rowsRead
        run.members[index].counts.invalid = member.staged.invalid
      }
    }
    let dropped = run.members.filter { $0.refusal != nil || $0.nothingToMerge }.map(\.number)
    if !dropped.isEmpty {
      for statement in run.wave.dropFiles(dropped) { try connection.execute(statement) }
    }
    for statement in WaveStatements.insertFiles(
      run.merging.map {
        WaveFileRow(
          fileNumber: $0.number, sourceSystem: $0.sourceSystem,
          sectionID: $0.file.location.sectionID, assignmentID: $0.file.location.assignmentID)
      }, flavor: flavor)
    {
      try connection.execute(statement)
    }
  }

  /// Runs one step of the plan.
  private func perform(
    _ step: WaveStep, _ run: inout WaveRun, deletedAt: String,
    ownership: inout SourceSystemOwnership
  ) throws {
    let wave = run.wave
    func execute(_ statement: SQLStatement?) throws {
      if let statement { try connection.execute(statement) }
    }
    switch step {
    case .analyzeStage:
      if let sql = wave.analyzeStage(stagedRows: run.facts.stagedRows) {
        try connection.execute(sql)
      }
    case .analyzeFiles: if let sql = wave.analyzeFiles { try connection.execute(sql) }
    case .resolveScopes: try execute(wave.resolveScopes)
    case .indexStageKeys: if let sql = wave.indexStageKeys { try connection.execute(sql) }
    case .requireKeysInOneFile:
      if try !connection.query(wave.keysInSeveralFiles).isEmpty { throw WaveNeedsFilesOneByOne() }
    case .markDuplicateKeys:
      if try !connection.query(wave.filesWithRepeatedKeys).isEmpty {
        try connection.execute(wave.markDuplicateKeys)
        run.markedBySQL = true
      }
    case .resolveParents:
      for statement in wave.resolveParents { try connection.execute(statement) }
    case .markGradesOfOtherSections:
      // A step that marked a row means the reading's counts no longer hold.
      if let statement = wave.markGradesOfOtherSections, try connection.execute(statement) > 0 {
        run.markedBySQL = true
      }
    case .markOrphans:
      if let statement = wave.markOrphans, try connection.execute(statement) > 0 {
        run.markedBySQL = true
      }
    case .linkAttendanceAssociations: try execute(wave.linkAttendanceAssociations)
    case .probeStoredScopes:
      if let probe = wave.anyStoredInScope {
        run.storedRowsInScope = try !connection.query(probe).isEmpty
      }
    case .classify: try connection.execute(wave.classify)
    case .countStage:
      for row in try connection.query(wave.stageCounts) {
        let number = Int(row.int(0) ?? 0)
        var counts = RowCounts()
        counts.rowsRead = Int(row.int(1) ?? 0)
        counts.invalid = Int(row.int(2) ?? 0)
        counts.orphans = Int(row.int(3) ?? 0)
        counts.unchanged = Int(row.int(4) ?? 0)
        run.counted[number] = counts
        run.setAsideCount[number] = Int(row.int(5) ?? 0)
      }
    case .countRead:
      for member in run.merging where member.staged.rowsRead > 0 {
        var counts = RowCounts()
        counts.rowsRead = member.staged.rowsRead
        counts.invalid = member.staged.invalid
        counts.unchanged = member.staged.rowsRead - member.staged.invalid
        run.counted[member.number] = counts
      }
    case .countDelta:
      for row in try connection.query(wave.deltaCounts) {
        let number = Int(row.int(0) ?? 0)
        var counts = run.counted[number, default: RowCounts()]
        counts.inserted = Int(row.int(1) ?? 0)
        counts.restored = Int(row.int(2) ?? 0)
        counts.updated = Int(row.int(3) ?? 0)
        counts.softDeleted = Int(row.int(4) ?? 0)
        // The mergeable rows that need no write.
        counts.unchanged -= counts.inserted + counts.restored + counts.updated
        run.counted[number] = counts
      }
    case .countAllAsInserts:
      for (number, counts) in run.counted {
        run.counted[number]?.inserted = counts.unchanged
        run.counted[number]?.unchanged = 0
      }
    case .measureScopes:
      if wave.classifyFindsAbsent {
        run.sizes = try scopeSizesInDoubt(run.counted, wave: wave)
      } else if let query = wave.scopeSizes {
        let rows = try withPlannerSettings(wave.hashJoinsOnly) { try connection.query(query) }
        for row in rows {
          run.sizes[Int(row.int(0) ?? 0)] = (Int(row.int(1) ?? 0), Int(row.int(2) ?? 0))
        }
      }
    case .settleFiles: try settleFiles(&run, deletedAt: deletedAt, ownership: &ownership)
    case .probeLiveScopes:
      // Before the writes: what they insert or restore is present in its file.
      if let probe = wave.anyLiveInScope {
        run.liveRowsInScope = try !connection.query(probe).isEmpty
      }
    case .applyUpdates:
      _ = try withPlannerSettings(wave.lookupsByIdentityOnly) {
        try connection.execute(wave.applyUpdates)
      }
    case .applyInserts: try connection.execute(wave.applyInserts)
    case .insertFromStage: try connection.execute(wave.insertFromStage)
    case .refreshTargetStatistics:
      try noteInserted(run.facts.totals.inserted, into: run.spec.kind, analyze: wave.analyzeTarget)
    case .softDeleteGone:
      _ = try withPlannerSettings(wave.lookupsByIdentityOnly) {
        try connection.execute(wave.softDeleteGone(deletedAt: deletedAt))
      }
    case .softDeleteAbsent: try softDeleteAbsent(&run, deletedAt: deletedAt)
    case .submissionTypes:
      for statement in wave.submissionTypeStatements(now: deletedAt) {
        try connection.execute(statement)
      }
    case .describeSetAside:
      let parents = wave.layout.parents
      for row in try connection.query(wave.setAsideRows(limit: options.reportLimit)) {
        let number = Int(row.int(0) ?? 0)
        if let index = run.members.firstIndex(where: { $0.number == number }) {
          run.members[index].setAside.append(
            FileApplier.setAsideMessage(row, from: 1, parents: parents))
        }
      }
    }
  }

  /// Refusals that need the rows' fates, then SourceSystem claims, in batch order; the refused
  /// files' rows leave the stage before anything is written.
  private func settleFiles(
    _ run: inout WaveRun, deletedAt: String, ownership: inout SourceSystemOwnership
  ) throws {
    let spec = run.spec
    var refused: [Int] = []
    for index in run.members.indices
    where run.members[index].refusal == nil && !run.members[index].nothingToMerge {
      let number = run.members[index].number
      var counts = run.counted[number] ?? RowCounts()
      counts.rounded = run.members[index].staged.rounded
      run.members[index].counts = counts
      let provider = run.members[index].file.provider
      let system = run.members[index].sourceSystem ?? ""
      if spec.kind.scopeKind == .provider {
        if counts.rowsRead - counts.invalid == 0 {
          run.members[index].refusal =
            FileApplier.noValidRows(spec, run.members[index].staged)
            .reason
        } else if let size = run.sizes[number], Self.isMassDelete(size) {
          run.members[index].refusal =
            "would soft-delete \(size.absent) of \(size.live) live \(spec.kind.rawValue) of SourceSystem '\(system)'; refused as a mass delete (--allow-mass-delete lifts this)"
        }
      }
      if run.members[index].refusal == nil {
        if let owner = ownership.owners[system] {
          if owner != provider {
            run.members[index].refusal = Self.ownedElsewhere(
              system, line: run.members[index].staged.sourceSystemLine, owner: owner)
          }
        } else {
          try Ledger(connection: connection).claim(
            sourceSystem: system, for: provider, at: deletedAt)
          ownership.claim(system, for: provider)
        }
      }
      if run.members[index].refusal != nil { refused.append(number) }
    }
    if !refused.isEmpty {
      for statement in run.wave.dropFiles(refused) { try connection.execute(statement) }
    }
  }

  /// Soft-deletes what each file's scope no longer holds, and records how many rows per file.
  private func softDeleteAbsent(_ run: inout WaveRun, deletedAt: String) throws {
    let wave = run.wave
    func counts(_ query: SQLStatement) throws -> [Int: Int] {
      var counts: [Int: Int] = [:]
      for row in try connection.query(query) {
        counts[Int(row.int(0) ?? 0)] = Int(row.int(1) ?? 0)
      }
      return counts
    }
    let absent = try withPlannerSettings(wave.hashJoinsOnly) { () -> [Int: Int] in
      if let softDelete = wave.softDeleteAbsent(deletedAt: deletedAt) {
        return try counts(softDelete)
      }
      guard let collect = wave.collectAbsent else { return [:] }
      try connection.execute(collect)
      let absent = try counts(wave.goneCounts)
      if absent.values.contains(where: { $0 > 0 }) {
        try connection.execute(wave.softDeleteGone(deletedAt: deletedAt))
      }
      return absent
    }
    for index in run.members.indices {
      run.members[index].counts.softDeleted = absent[run.members[index].number] ?? 0
    }
  }

  /// The ledger rows, in batch order.
  private func ledgerEntries(_ members: [Member], started: String) -> [LedgerEntry] {
    let finished = CanonicalTime.now()
    return members.map { member in
      let file = member.file
      var entry = file.ledgerEntry(
        .loaded, startedAt: started, finishedAt: finished, appliedBy: options.appliedBy)
      if let refusal = member.refusal {
        entry.outcome = .rejected
        entry.message = "\(file.relativePath): \(refusal)"
        entry.mismatched = member.mismatched
      } else {
        entry.counts = member.counts
        entry.message = FileApplier.problemMessage(member.problems, member.setAside)
      }
      return entry
    }
  }

  /// The scope sizes the mass-delete guard needs, where `classify` counted the absent rows.
  ///
  /// The live rows a file's keys matched (updated and unchanged) plus the absent ones are a lower
  /// bound of its scope's live rows, known without a query; rows kept only by an invalid row are
  /// not in it. Only the files that bound does not clear have their scope counted.
  private func scopeSizesInDoubt(_ counted: [Int: RowCounts], wave: WaveStatements) throws
    -> [Int: (live: Int, absent: Int)]
  {
    let doubtful = counted.filter { _, counts in
      let gone = counts.softDeleted
      // More than half of the bound gone: more than half of the scope may be.
      return gone > 0 && gone * 2 > counts.updated + counts.unchanged + gone
    }
    guard !doubtful.isEmpty, let query = wave.liveScopeSizes else { return [:] }
    var sizes: [Int: (live: Int, absent: Int)] = [:]
    for row in try withPlannerSettings(wave.hashJoinsOnly, { try connection.query(query) }) {
      let number = Int(row.int(0) ?? 0)
      if let counts = doubtful[number] {
        sizes[number] = (Int(row.int(1) ?? 0), counts.softDeleted)
      }
    }
    return sizes
  }

  /// Counts rows the session inserted into a table and refreshes its statistics each time they
  /// have grown by as much again: a plan made for the table before it filled up loops.
  func noteInserted(_ count: Int, into resource: ResourceKind, analyze: String?) throws {
    let estimate = WaveStatements(
      flavor: flavor, layout: HeaderPlan.fullLayout(ResourceSpec.spec(for: resource))
    ).targetRowEstimate
    try insertGrowth.note(
      count, into: resource, analyze: analyze,
      storedRows: {
        guard let estimate else { return 0 }
        return Int(try connection.query(estimate).first?.int(0) ?? 0)
      },
      execute: { try connection.execute($0) })
  }

  /// Runs `body` with the planner settings `toggle` turns on (where the dialect has any), and
  /// turns them off again after it.
  private func withPlannerSettings<T>(
    _ toggle: (on: String, off: String)?, _ body: () throws -> T
  ) throws -> T {
    guard let toggle else { return try body() }
    try connection.executeScript(toggle.on)
    let result = try body()
    try connection.executeScript(toggle.off)
    return result
  }

  static func ownedElsewhere(_ system: String, line: Int, owner: ProviderName) -> String {
    "line \(line), column SourceSystem: '\(system)' belongs to provider '\(owner)'; a SourceSystem is loaded by one provider only"
  }
}

/// A wave whose files cannot be merged at once; the caller applies them one by one.
struct WaveNeedsFilesOneByOne: Error {}

extension WaveApplier {
  /// The mass-delete guard (load-semantics): at least 20 live rows, more than half of them gone.
  static func isMassDelete(_ size: (live: Int, absent: Int)) -> Bool {
    size.live >= 20 && size.absent * 2 > size.live
  }
}

/// Which provider owns each SourceSystem (load-semantics §1), read once per transaction and kept
/// up to date as files claim new ones.
struct SourceSystemOwnership {
  var owners: [String: ProviderName]
  var firstClaims: [ProviderName: String]

  static func read(from ledger: Ledger) throws -> SourceSystemOwnership {
    SourceSystemOwnership(owners: try ledger.owners(), firstClaims: try ledger.firstClaims())
  }

  mutating func claim(_ system: String, for provider: ProviderName) {
    owners[system] = provider
    if firstClaims[provider] == nil { firstClaims[provider] = system }
  }
}
