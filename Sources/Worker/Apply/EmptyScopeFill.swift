import CSV
import Messages
import Store
import UDM

/// The first load of empty scopes (issue 9, item 5): a wave of users or sections whose scopes hold
/// no row yet goes from COPY straight into the target table. With nothing stored there is nothing
/// to match, update, restore or soft-delete, so every valid row is an insert, and the stage and
/// its statements would only copy the rows a second time.
///
/// Optimistic: the rows are written under a savepoint, and whatever the staged merge would treat
/// otherwise — a key written twice (the unique index refuses it, or an invalid row carries it), a
/// refused file, no valid row — rolls the fill back; the ordinary staged merge then applies the
/// wave. The ledger rows are the ones that merge would write.
extension WaveApplier {
  static let emptyScopeSavepoint = "lmsds_empty_scope"

  /// One file as read before the fill: its header and the SourceSystem of its first data row.
  private struct Opening {
    let file: FileToApply
    let layout: StagingLayout
    let sourceSystem: String
  }

  /// Fills the wave's scopes directly when they are empty and returns the ledger entries, in
  /// order; nil when the wave takes the staged merge (nothing of the attempt remains then).
  func fillEmptyScopes(
    _ files: [FileToApply], deletedAt: String, history: LedgerHistory,
    ownership: inout SourceSystemOwnership
  ) throws -> [LedgerEntry]? {
    guard flavor.waveRenderer?.fillsEmptyScopesDirectly == true, let first = files.first,
      first.location.resource.scopeKind == .provider
    else { return nil }
    // A scope the ledger has loaded a file into holds its rows: no need to read or ask further.
    // (A scope filled some other way, an adopted database, is found by the query below.)
    guard
      !files.contains(where: { file in
        history.watermarks[
          ScopeID(
            provider: file.provider, resource: file.location.resource,
            scopeKey: file.location.scopeKey)] != nil
      })
    else { return nil }
    let spec = ResourceSpec.spec(for: first.location.resource)
    guard let openings = try? files.map({ try open($0, spec: spec) }) else { return nil }
    guard let layout = openings.first?.layout,
      openings.allSatisfy({ $0.layout == layout }), EmptyScopeStatements.applies(to: layout)
    else { return nil }
    // Each file names its own SourceSystem, free or its provider's: else the staged merge decides.
    let systems = openings.map(\.sourceSystem)
    guard Set(systems).count == systems.count,
      openings.allSatisfy({ opening in
        ownership.owners[opening.sourceSystem].map { $0 == opening.file.provider } ?? true
      })
    else { return nil }
    let statements = EmptyScopeStatements(flavor: flavor, layout: layout)
    // Under the provider locks the transaction holds: no other session can fill these scopes now.
    guard try connection.query(statements.anyRowOf(sourceSystems: systems)).isEmpty else {
      return nil
    }

    try connection.execute(flavor.savepoint(Self.emptyScopeSavepoint))
    let filled: [(staged: StagedFile, sha256: SHA256Digest)]?
    do {
      filled = try fill(openings, spec: spec, statements: statements)
    } catch let error as DatabaseError where error.kind == .statement {
      filled = nil
    }
    if filled == nil {
      try connection.execute(flavor.rollbackToSavepoint(Self.emptyScopeSavepoint))
    }
    if let release = flavor.releaseSavepoint(Self.emptyScopeSavepoint) {
      try connection.execute(release)
    }
    guard let filled else { return nil }

    let finished = CanonicalTime.now()
    var entries: [LedgerEntry] = []
    var inserted = 0
    for (opening, (staged, sha256)) in zip(openings, filled) {
      let file = opening.file
      if ownership.owners[opening.sourceSystem] == nil {
        try Ledger(connection: connection).claim(
          sourceSystem: opening.sourceSystem, for: file.provider, at: deletedAt)
        ownership.claim(opening.sourceSystem, for: file.provider)
      }
      var counts = RowCounts()
      counts.rowsRead = staged.rowsRead
      counts.invalid = staged.invalid
      counts.inserted = staged.rowsRead - staged.invalid
      counts.rounded = staged.rounded
      inserted += counts.inserted
      var entry = file.ledgerEntry(
        .loaded, sha256: sha256, startedAt: deletedAt, finishedAt: finished,
        appliedBy: options.appliedBy)
      entry.counts = counts
      entry.message = FileApplier.problemMessage(staged.problems, [])
      entries.append(entry)
    }
    // The planner must not take the freshly filled table for the empty one it last saw.
    let analyze = WaveStatements(flavor: flavor, layout: layout).analyzeTarget
    try noteInserted(inserted, into: first.location.resource, analyze: analyze)
    return entries
  }

  /// Reads a file's header and the SourceSystem its first data row names; throws when either is
  /// missing or unreadable (the staged merge reports why).
  private func open(_ file: FileToApply, spec: ResourceSpec) throws -> Opening {
    let reader = try CSVReader(path: file.absolutePath)
    let stager = RowStager(location: file.location, spec: spec, reportLimit: options.reportLimit)
    guard let plan = try stager.readHeader(reader, plans: headerPlans) else {
      throw NoEmptyScopeFill()
    }
    while try reader.next() {
      if reader.isBlank { continue }
      guard plan.sourceSystemIndex < reader.fieldCount else { break }
      let system = reader.field(plan.sourceSystemIndex)
      guard !system.isEmpty else { break }
      return Opening(file: file, layout: plan.layout, sourceSystem: system)
    }
    throw NoEmptyScopeFill()
  }

  /// Streams every file's valid rows into the target through one COPY; nil when a file is one the
  /// staged merge must see (refused, changed, no valid row, a key written twice).
  private func fill(
    _ openings: [Opening], spec: ResourceSpec, statements: EmptyScopeStatements
  ) throws -> [(staged: StagedFile, sha256: SHA256Digest)]? {
    let writer = try connection.makeBulkWriter(
      table: statements.target, columns: statements.targetColumns)
    // Each file's rows and the digest of the bytes read (its identity's, or the scan left it
    // unhashed).
    var filled: [(staged: StagedFile, sha256: SHA256Digest)] = []
    var invalidKeys: [(system: String, keys: InvalidRowKeys)] = []
    for opening in openings {
      let file = opening.file
      let stager = RowStager(location: file.location, spec: spec, reportLimit: options.reportLimit)
      let reader: CSVReader
      let content: StagedContent
      var staged = StagedFile()
      let keys = InvalidRowKeys()
      do {
        reader = try CSVReader(path: file.absolutePath)
        content = StagedContent(observing: reader)
        guard let plan = try stager.readHeader(reader, plans: headerPlans),
          plan.layout == opening.layout
        else {
          return nil
        }
        try stager.stageRows(reader, plan: plan, writer: writer, into: &staged, invalidKeys: keys)
      } catch is FileRejection {
        return nil
      } catch is CSVError {
        return nil
      }
      guard
        content.mismatchOfWholeFile(
          reader, expectedSHA256: file.sha256, expectedSize: file.size) == nil,
        staged.sourceSystem == opening.sourceSystem, staged.rowsRead > staged.invalid,
        !keys.repeated, !keys.overflowed
      else { return nil }
      filled.append((staged, content.sha256))
      invalidKeys.append((opening.sourceSystem, keys))
    }
    try writer.finish()
    for (system, keys) in invalidKeys where !keys.keys.isEmpty {
      for query in statements.keysPresent(keys.texts, sourceSystem: system) {
        if try !connection.query(query).isEmpty { return nil }
      }
    }
    return filled
  }
}

/// A file that the empty-scope fill leaves to the staged merge.
private struct NoEmptyScopeFill: Error {}
