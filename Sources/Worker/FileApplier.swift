import CSV
import Logging
import Messages
import Store
import UDM

/// Applies one file to the database with its ledger entry (load-semantics §4–9).
///
/// The caller owns the transaction: `apply` runs inside it, under a savepoint, so that several files
/// can share one commit while each stays atomic — a rejected file rolls back to its savepoint and
/// leaves only its ledger row.
public final class FileApplier {
  public let connection: any SQLConnection
  public let options: ApplyOptions
  let ledger: Ledger
  let flavor: SQLFlavor
  let logger: Logger
  private var stagesCreated: Set<ResourceKind> = []
  private var statementsCache: [StagingLayout: MergeStatements] = [:]
  private var plansCache: [StagingLayout: MergePlan] = [:]

  public init(connection: any SQLConnection, options: ApplyOptions, logger: Logger) {
    self.connection = connection
    self.options = options
    self.ledger = Ledger(connection: connection, owesDeadLetters: options.owesDeadLetters)
    self.flavor = SQLFlavor(connection.dialect)
    self.logger = logger
  }

  /// Takes the provider's lock for the rest of the caller's transaction.
  public func lock(_ provider: ProviderName) throws {
    if let statement = ProviderLock.statement(for: provider, dialect: connection.dialect) {
      _ = try connection.query(statement)
    }
  }

  /// Merges `file` inside the caller's open transaction; the provider lock must be held and the
  /// caller (`ApplyTransaction`, through `OutcomeDecider`) has decided the file is to be applied.
  /// `deletedAt` is the transaction's start: the `DeletedAt` of what the file soft-deletes
  /// (load-semantics §6.3) and its ledger row's start; by default the file's own start.
  public func apply(_ file: FileToApply, deletedAt: String? = nil) throws -> ApplyResult {
    let startedAt = deletedAt ?? CanonicalTime.now()
    var entry = file.ledgerEntry(.loaded, startedAt: startedAt, appliedBy: options.appliedBy)

    // Staging tables are made before the savepoint: a rejected file must not roll them away.
    try createStage(for: file.location.resource)
    try connection.execute(flavor.savepoint(Self.savepoint))
    do {
      try merge(file, startedAt: startedAt, into: &entry)
      try releaseSavepoint()
    } catch let rejection as FileRejection {
      try connection.execute(flavor.rollbackToSavepoint(Self.savepoint))
      try releaseSavepoint()
      entry.outcome = .rejected
      entry.counts = RowCounts()
      entry.message = "\(file.relativePath): \(rejection.reason)"
      entry.mismatched = rejection.mismatched
    } catch let error as DatabaseError where error.kind == .statement {
      // A statement the database refuses for this file's data must not stop the files after it.
      try connection.execute(flavor.rollbackToSavepoint(Self.savepoint))
      try releaseSavepoint()
      entry.outcome = .rejected
      entry.counts = RowCounts()
      entry.message = "\(file.relativePath): the database refused it: \(error)"
    } catch {
      _ = try? connection.execute(flavor.rollbackToSavepoint(Self.savepoint))
      throw error
    }
    return try finish(entry)
  }

  static let savepoint = "lmsds_file"

  private func releaseSavepoint() throws {
    if let release = flavor.releaseSavepoint(Self.savepoint) { try connection.execute(release) }
  }

  /// Forgets the session's staging tables, after a rollback that may have removed them.
  public func transactionRolledBack() {
    stagesCreated.removeAll()
    stagedSinceTruncate.removeAll()
    insertGrowth.reset()
  }

  private func createStage(for resource: ResourceKind) throws {
    guard !stagesCreated.contains(resource) else { return }
    let full = MergeStatements(
      flavor: flavor, layout: HeaderPlan.fullLayout(ResourceSpec.spec(for: resource)))
    for sql in full.createStage { try connection.executeScript(sql) }
    stagesCreated.insert(resource)
  }

  private func finish(_ completed: LedgerEntry) throws -> ApplyResult {
    var entry = completed
    entry.finishedAt = CanonicalTime.now()
    try ledger.record(entry)
    if entry.outcome == .loaded, entry.resource != .systemActivities {
      try ledger.advanceWatermark(
        provider: entry.provider, resource: entry.resource, scopeKey: entry.scopeKey,
        to: entry.nameTimestamp)
    }
    return ApplyResult(entry: entry)
  }

  // MARK: - The merge of one file

  private func merge(_ file: FileToApply, startedAt: String, into entry: inout LedgerEntry) throws {
    let reader: CSVReader
    do {
      reader = try CSVReader(path: file.absolutePath)
    } catch let error as CSVError {
      // Unhashed, a file that cannot be opened has no identity to make known.
      throw FileRejection("cannot be read: \(error)", mismatched: file.sha256 == nil)
    }
    let content = StagedContent(observing: reader)
    // A file the scan left unhashed takes the digest of the bytes this read staged.
    defer { if file.sha256 == nil { entry.sha256 = content.sha256 } }
    do {
      try merge(file, reading: reader, content, startedAt: startedAt, into: &entry)
    } catch let error where Self.refusesTheFile(error) {
      // A refusal is only about this file if the bytes are its bytes: otherwise it is recorded as
      // the mismatch it is, which leaves the identity free for the genuine file.
      if let why = content.mismatchOfWholeFile(
        reader, expectedSHA256: file.sha256, expectedSize: file.size)
      {
        throw FileRejection(why, mismatched: true)
      }
      throw error
    }
  }

  /// Errors `apply` records as the file's rejection (the others end the transaction).
  static func refusesTheFile(_ error: any Error) -> Bool {
    if let rejection = error as? FileRejection { return !rejection.mismatched }
    return (error as? DatabaseError)?.kind == .statement
  }

  private func merge(
    _ file: FileToApply, reading reader: CSVReader, _ content: StagedContent, startedAt: String,
    into entry: inout LedgerEntry
  ) throws {
    let spec = ResourceSpec.spec(for: file.location.resource)
    let stager = RowStager(location: file.location, spec: spec, reportLimit: options.reportLimit)
    var staged = StagedFile()
    let plan: HeaderPlan?
    do {
      plan = try stager.readHeader(reader)
    } catch let error as CSVError {
      throw FileRejection(Self.reason(error, path: file.absolutePath))
    }
    let layout = plan?.layout ?? HeaderPlan.fullLayout(spec)
    let statements = try prepareStage(layout)
    if let plan {
      staged.plan = plan
      let writer = try connection.makeBulkWriter(
        table: statements.stageTable, columns: statements.stageColumns)
      do {
        try stager.stageRows(reader, plan: plan, writer: writer, into: &staged)
        try writer.finish()
      } catch let error as CSVError {
        _ = try? writer.finish()
        throw FileRejection(Self.reason(error, path: file.absolutePath))
      } catch {
        _ = try? writer.finish()
        throw error
      }
      if !staged.submissionTypes.isEmpty {
        let typeWriter = try connection.makeBulkWriter(
          table: statements.submissionTypeStageTable,
          columns: statements.submissionTypeStageColumns)
        for (key, type) in staged.submissionTypes {
          typeWriter.append(key)
          typeWriter.append(type)
          try typeWriter.endRow()
        }
        try typeWriter.finish()
      }
    } else {
      staged.headerless = true
    }
    if let why = content.mismatch(expectedSHA256: file.sha256, expectedSize: file.size) {
      throw FileRejection(why, mismatched: true)
    }

    // The file's SourceSystem: its rows', else (an empty snapshot) the one its provider owns.
    let sourceSystem: String
    if let named = staged.sourceSystem {
      if let owner = try ledger.owner(ofSourceSystem: named), owner != file.provider {
        throw FileRejection(
          "line \(staged.sourceSystemLine), column SourceSystem: '\(named)' belongs to provider '\(owner)'; a SourceSystem is loaded by one provider only"
        )
      }
      sourceSystem = named
    } else if let owned = try ledger.sourceSystem(ownedBy: file.provider) {
      sourceSystem = owned
    } else {
      if spec.kind.scopeKind == .provider { throw Self.noValidRows(spec, staged) }
      entry.counts.rowsRead = staged.rowsRead
      entry.counts.invalid = staged.invalid
      entry.message = Self.problemMessage(staged.problems, [])
      return
    }

    let context = MergeContext(
      sourceSystem: sourceSystem, startedAt: startedAt, sectionID: file.location.sectionID,
      assignmentID: file.location.assignmentID)
    stagedSinceTruncate[spec.kind, default: 0] += staged.rowsRead
    var counts = RowCounts()
    var setAside: [String] = []
    for step in mergePlan(layout).steps {
      guard step.runs(stagedRows: staged.rowsRead, counts: counts) else { continue }
      switch step {
      case .countRows:
        if let row = try connection.query(statements.counts).first {
          counts.rowsRead = Int(row.int(0) ?? 0)
          counts.invalid = Int(row.int(1) ?? 0)
          counts.orphans = Int(row.int(2) ?? 0)
          counts.inserted = Int(row.int(3) ?? 0)
          counts.restored = Int(row.int(4) ?? 0)
          counts.updated = Int(row.int(5) ?? 0)
          counts.unchanged = Int(row.int(6) ?? 0)
        }
        counts.rounded = staged.rounded
      case .describeSetAside:
        setAside = try describeSetAside(statements)
      case .requireValidRows:
        if counts.rowsRead - counts.invalid == 0 { throw Self.noValidRows(spec, staged) }
      case .guardMassDelete:
        if let sizes = statements.scopeSizes(context), let row = try connection.query(sizes).first {
          let live = Int(row.int(0) ?? 0)
          let absent = Int(row.int(1) ?? 0)
          if WaveApplier.isMassDelete((live, absent)) {
            throw FileRejection(
              "would soft-delete \(absent) of \(live) live \(spec.kind.rawValue) of SourceSystem '\(sourceSystem)'; refused as a mass delete (--allow-mass-delete lifts this)"
            )
          }
        }
      case .claimSourceSystem:
        if try ledger.owner(ofSourceSystem: sourceSystem) == nil {
          try ledger.claim(sourceSystem: sourceSystem, for: file.provider, at: startedAt)
        }
      case .refreshTargetStatistics:
        try insertGrowth.note(
          counts.inserted, into: spec.kind, analyze: statements.analyzeTarget
        ) { try connection.execute($0) }
      case .softDeleteAbsent:
        if let softDelete = statements.softDeleteAbsent(context) {
          counts.softDeleted = try connection.execute(softDelete)
        }
      case .analyzeStage, .markDuplicateKeys, .resolveParent, .markGradesOfOtherSections,
        .markOrphans, .linkAttendanceAssociations, .matchExisting, .applyUpdates, .applyInserts,
        .restoreSubmissionTypes, .insertSubmissionTypes, .deleteUnlistedSubmissionTypes:
        let sql = statements.statements(for: step, context, setAsideLimit: options.reportLimit)
        for statement in sql { try connection.execute(statement) }
      }
    }
    entry.counts = counts
    entry.message = Self.problemMessage(staged.problems, setAside)
  }

  /// The merge steps of a layout, made once per session.
  private func mergePlan(_ layout: StagingLayout) -> MergePlan {
    if let plan = plansCache[layout] { return plan }
    let plan = MergePlan(layout: layout, guardsMassDelete: !options.allowMassDelete)
    plansCache[layout] = plan
    return plan
  }

  /// Clears the resource's staging tables for this file.
  private func prepareStage(_ layout: StagingLayout) throws -> MergeStatements {
    let statements =
      statementsCache[layout] ?? MergeStatements(flavor: flavor, layout: layout)
    statementsCache[layout] = statements
    if stagedSinceTruncate[layout.resource, default: 0] > Self.truncateAfterRows {
      for sql in statements.truncateStage { try connection.execute(sql) }
      stagedSinceTruncate[layout.resource] = 0
    } else {
      for sql in statements.clearStage { try connection.execute(sql) }
    }
    return statements
  }

  /// Rows staged per resource since its stage was last truncated: dead rows on PostgreSQL.
  private var stagedSinceTruncate: [ResourceKind: Int] = [:]
  static let truncateAfterRows = 2_000

  private var insertGrowth = InsertGrowth()

  /// Describes the rows the SQL steps set aside: duplicate keys, other sections, orphans.
  private func describeSetAside(_ statements: MergeStatements) throws -> [String] {
    let rows = try connection.query(statements.setAsideRows(limit: options.reportLimit))
    return rows.map { Self.setAsideMessage($0, from: 0, parents: statements.layout.parents) }
  }

  /// One set-aside row as a message; its columns start at `first`: line, key, dup_key,
  /// other_section, orphan, then text and resolved id of each parent.
  static func setAsideMessage(_ row: SQLRow, from first: Int, parents: [ParentSpec]) -> String {
    let line = row.int(first) ?? 0
    let key = row.text(first + 1) ?? ""
    if row.int(first + 2) == 1 {
      return
        "line \(line), column SourceSystemIdentifier: '\(key)' appears more than once in the file"
    }
    if row.int(first + 3) == 1 {
      return
        "line \(line), column \(parents.first?.csvColumn ?? "?"): association '\(row.text(first + 5) ?? "")' belongs to another section"
    }
    var missing: [String] = []
    for (offset, parent) in parents.enumerated() {
      let text = row[first + 5 + offset * 2]
      let resolved = row[first + 6 + offset * 2]
      if !text.isNull, resolved.isNull {
        missing.append("column \(parent.csvColumn): '\(text.text ?? "")' not found")
      }
    }
    return "line \(line), orphan: " + missing.joined(separator: "; ")
  }

  /// A users or sections file with nothing to load, with the reasons its rows were invalid.
  static func noValidRows(_ spec: ResourceSpec, _ staged: StagedFile) -> FileRejection {
    var reason = "has no valid data rows; a \(spec.kind.rawValue) file must list them"
    if !staged.problems.isEmpty { reason += "\n" + staged.problems.joined(separator: "\n") }
    return FileRejection(reason)
  }

  /// A CSV error as a rejection reason, naming the offending character where the reader's
  /// message does not.
  static func reason(_ error: CSVError, path: String) -> String {
    guard error.kind == .characterAfterClosingQuote,
      let character = CharacterLookup.character(
        atLine: error.line, column: error.column, path: path)
    else { return error.description }
    return "\(error.description) (found '\(character)')"
  }

  static func problemMessage(_ invalid: [String], _ setAside: [String]) -> String? {
    let all = invalid + setAside
    return all.isEmpty ? nil : all.joined(separator: "\n")
  }
}
