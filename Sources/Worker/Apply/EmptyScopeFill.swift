import CSV
import Messages
import Store
import UDM

/// The first load of empty scopes (issue 9, item 5): a wave whose scopes hold no row yet goes
/// from COPY straight into the target table. With nothing stored there is nothing to match,
/// update, restore or soft-delete, so every valid row is an insert, and the stage and its
/// statements would only copy the rows a second time. Users and sections have no parent; the
/// rows of section- and assignment-scoped files have theirs looked up here, in the parents'
/// identities read before the fill (`ParentIdentities`), instead of by statements over a stage.
///
/// Optimistic: the rows are written under a savepoint, and whatever the staged merge would treat
/// otherwise — a key written twice (the unique index refuses it, or an invalid row carries it), a
/// refused file, no valid row, an orphan — rolls the fill back; the ordinary staged merge then
/// applies the wave. The ledger rows are the ones that merge would write.
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
      first.location.resource.scopeKind != .incremental
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
    // Each SourceSystem is free or its provider's, and named by one provider of the wave: else the
    // staged merge decides. A provider's scope is all of S, so there each file names its own.
    var namedBy: [String: ProviderName] = [:]
    for opening in openings {
      if let owner = ownership.owners[opening.sourceSystem], owner != opening.file.provider {
        return nil
      }
      if let other = namedBy.updateValue(opening.file.provider, forKey: opening.sourceSystem),
        other != opening.file.provider || layout.directoryParent == nil
      {
        return nil
      }
    }
    let statements = EmptyScopeStatements(flavor: flavor, layout: layout)
    // Under the provider locks the transaction holds: no other session can fill these scopes now.
    let parents: ChildScopeParents?
    if let directory = layout.directoryParent {
      guard
        let found = try childScopeParents(
          openings, layout: layout, directory: directory, statements: statements)
      else { return nil }
      parents = found
    } else {
      guard
        try connection.query(statements.anyRowOf(sourceSystems: openings.map(\.sourceSystem)))
          .isEmpty
      else { return nil }
      parents = nil
    }

    try connection.execute(flavor.savepoint(Self.emptyScopeSavepoint))
    let filled: [(staged: StagedFile, sha256: SHA256Digest)]?
    do {
      filled = try fill(openings, spec: spec, statements: statements, parents: parents)
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

  /// What the rows of child scopes (section- or assignment-scoped files) are resolved with: each
  /// file's scope, the identity of its directory's parent, and per SourceSystem every other
  /// parent's identities, by the layout's parent slot (nil at the directory's slot).
  private struct ChildScopeParents {
    let directorySlot: Int
    let scopes: [Int64]
    let others: [String: [ParentIdentities?]]

    /// What a row of the file at `index` (in the wave) writes for the parent at `slot`.
    func lookup(file index: Int, sourceSystem: String) -> (Int, UnsafeRawBufferPointer) -> Int64? {
      let scope = scopes[index]
      let tables = others[sourceSystem] ?? []
      let directorySlot = directorySlot
      return { slot, key in
        slot == directorySlot
          ? scope : (slot < tables.count ? tables[slot]?.identity(of: key) : nil)
      }
    }
  }

  /// Resolves every file's scope and reads the other parents; nil when a scope's parent is not
  /// stored (its rows are orphans), a scope holds a row (live or soft-deleted), or a parent table
  /// is past the memory budget — each a wave for the staged merge.
  private func childScopeParents(
    _ openings: [Opening], layout: StagingLayout, directory: ParentSpec,
    statements: EmptyScopeStatements
  ) throws -> ChildScopeParents? {
    guard let directorySlot = layout.parents.firstIndex(of: directory),
      let directoryID = directory.mustMatchDirectory
    else { return nil }
    let directoryKey = { (file: FileToApply) -> String? in file.location.id(of: directoryID) }
    var scopes = [Int64?](repeating: nil, count: openings.count)
    var others: [String: [ParentIdentities?]] = [:]
    var budget = ParentIdentities.byteBudget
    let bySystem = Dictionary(grouping: openings.indices) { openings[$0].sourceSystem }
    // A wave that must read lets go first of what earlier waves read and it does not need.
    let needed = Set(
      bySystem.keys.flatMap { system in
        layout.parents.filter { $0 != directory }.map {
          ParentIdentityCache.Key(parent: $0.parent, sourceSystem: system)
        }
      })
    if needed.contains(where: { parentIdentities[$0] == nil }) { parentIdentities.keepOnly(needed) }
    for (system, indices) in bySystem.sorted(by: { $0.key < $1.key }) {
      var found: [String: Int64] = [:]
      let keys = Set(indices.compactMap { directoryKey(openings[$0].file) })
      for query in statements.parentIdentities(
        of: directory, keys: keys.sorted(), sourceSystem: system)
      {
        for row in try connection.query(query) {
          if let key = row.text(0), let identity = row.int(1) { found[key] = identity }
        }
      }
      for index in indices {
        guard let key = directoryKey(openings[index].file), let scope = found[key] else {
          return nil
        }
        scopes[index] = scope
      }
      for query in statements.anyRowIn(
        scopes: indices.compactMap { scopes[$0] }, sourceSystem: system)
      {
        guard try connection.query(query).isEmpty else { return nil }
      }
      var tables: [ParentIdentities?] = []
      for parent in layout.parents {
        guard parent != directory else {
          tables.append(nil)
          continue
        }
        let key = ParentIdentityCache.Key(parent: parent.parent, sourceSystem: system)
        if let kept = parentIdentities[key], kept.bytes <= budget {
          budget -= kept.bytes
          tables.append(kept)
          continue
        }
        guard
          let read = try ParentIdentities.read(
            parent, sourceSystem: system, statements: statements, connection: connection,
            byteBudget: budget)
        else { return nil }
        budget -= read.bytes
        tables.append(read)
        parentIdentities[key] = read
      }
      others[system] = tables
    }
    return ChildScopeParents(
      directorySlot: directorySlot, scopes: scopes.compactMap { $0 }, others: others)
  }

  /// Streams every file's valid rows into the target through one COPY; nil when a file is one the
  /// staged merge must see (refused, changed, no valid row, a key written twice, an orphan).
  private func fill(
    _ openings: [Opening], spec: ResourceSpec, statements: EmptyScopeStatements,
    parents: ChildScopeParents?
  ) throws -> [(staged: StagedFile, sha256: SHA256Digest)]? {
    let writer = try connection.makeBulkWriter(
      table: statements.target, columns: statements.targetColumns)
    // Each file's rows and the digest of the bytes read (its identity's, or the scan left it
    // unhashed).
    var filled: [(staged: StagedFile, sha256: SHA256Digest)] = []
    var invalidKeys: [(system: String, keys: InvalidRowKeys)] = []
    for (index, opening) in openings.enumerated() {
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
        try stager.stageRows(
          reader, plan: plan, writer: writer, into: &staged, invalidKeys: keys,
          parentIdentity: parents?.lookup(file: index, sourceSystem: opening.sourceSystem))
      } catch is FileRejection {
        return nil
      } catch is CSVError {
        return nil
      } catch is ParentNotFound {
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
