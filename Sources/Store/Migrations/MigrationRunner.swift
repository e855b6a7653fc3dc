/// Brings a database's schema up to date with the scripts compiled into this binary.
///
/// Each pending script runs in its own transaction together with its journal row, so a failure rolls
/// back that script alone and the next run resumes from it. A database the Ed-Fi loader built is
/// adopted: its journal lists our first scripts under the loader's names, so only ours run.
public struct MigrationRunner: Sendable {
  public let migrations: [Migration]

  /// Runs `migrations` (tests inject their own); they run in name order.
  public init(migrations: [Migration]) {
    self.migrations = migrations.sorted { $0.name < $1.name }
  }

  /// Runs the scripts embedded for `dialect`.
  public init(dialect: SQLDialect) {
    self.init(migrations: Migration.embedded(for: dialect))
  }

  /// The names of the scripts a `migrate` would run now, in order. Changes nothing.
  public func dryRun(_ connection: any SQLConnection) throws -> [String] {
    try plan(connection).pending
  }

  /// What a `migrate` would run now, and which of our scripts the journal holds that this binary
  /// does not know. Changes nothing; throws only for a changed applied script.
  public func plan(_ connection: any SQLConnection) throws -> MigrationPlan {
    let journal = try MigrationJournal(connection.dialect)
    let contents = try journal.read(connection)
    try verifyChecksums(contents)
    return MigrationPlan(
      pending: migrations.filter { journalEntry(for: $0, in: contents) == nil }.map(\.name),
      unknown: unknownScripts(contents))
  }

  /// Applies every pending script. Throws `MigrationError` naming the script that failed or whose
  /// applied text changed; scripts applied before the failure stay applied.
  @discardableResult
  public func migrate(_ connection: any SQLConnection) throws -> MigrationReport {
    let journal = try MigrationJournal(connection.dialect)
    return try MigrationLock.holding(on: connection) {
      try run(connection, journal)
    }
  }

  // MARK: - Internals

  private func run(_ connection: any SQLConnection, _ journal: MigrationJournal) throws
    -> MigrationReport
  {
    var contents = try journal.read(connection)
    if let current = contents, !current.hasChecksumColumn {
      try connection.transaction {
        if let again = try journal.read(connection), !again.hasChecksumColumn {
          try journal.addChecksumColumn(connection)
        }
      }
      contents = try journal.read(connection)
    }
    // Before anything runs: a changed applied script means this build and the database disagree,
    // and a script this build does not know means a newer lmsds owns the schema.
    try verifyChecksums(contents)
    let unknown = unknownScripts(contents)
    if !unknown.isEmpty {
      throw MigrationError.newerSchema(unknownScripts: unknown, newestKnown: migrations.last?.name)
    }

    var report = MigrationReport()
    for migration in migrations {
      if let entry = journalEntry(for: migration, in: contents) {
        report.alreadyApplied += 1
        if entry.checksum == nil {
          report.adopted.append(AdoptedScript(script: migration.name, journalName: entry.name))
        }
        continue
      }
      if try apply(migration, connection, journal) {
        report.applied.append(migration.name)
      } else {
        report.alreadyApplied += 1
      }
    }
    return report
  }

  /// Runs one script with its journal row; false when another process applied it meanwhile.
  private func apply(
    _ migration: Migration, _ connection: any SQLConnection, _ journal: MigrationJournal
  ) throws -> Bool {
    do {
      try connection.begin()
    } catch {
      throw MigrationError.scriptFailed(script: migration.name, message: String(describing: error))
    }
    do {
      // Re-read under the write lock: on SQLite another process may have applied it since we looked.
      if journalEntry(for: migration, in: try journal.read(connection)) != nil {
        try connection.commit()
        return false
      }
      try connection.executeScript(migration.sql)
      // The first script creates the journal; on PostgreSQL it has the Ed-Fi loader's shape.
      guard let after = try journal.read(connection) else {
        throw MigrationError.journalNotCreated(script: migration.name)
      }
      if !after.hasChecksumColumn { try journal.addChecksumColumn(connection) }
      try journal.record(migration, connection)
      try connection.commit()
      return true
    } catch {
      try? connection.rollback()
      if let error = error as? MigrationError { throw error }
      throw MigrationError.scriptFailed(script: migration.name, message: String(describing: error))
    }
  }

  private func journalEntry(for migration: Migration, in contents: MigrationJournal.Contents?)
    -> (name: String, checksum: String?)?
  {
    guard let contents else { return nil }
    for name in migration.journalNames {
      if let checksum = contents.checksums[name] { return (name, checksum) }
    }
    return nil
  }

  /// Journal rows that carry a checksum (only this runner writes one) under a name no script of
  /// this binary answers to: written by a newer lmsds. Rows without a checksum are the Ed-Fi
  /// loader's or the harmonizer's, whose scripts we do not ship, and are left alone.
  private func unknownScripts(_ contents: MigrationJournal.Contents?) -> [String] {
    guard let contents else { return [] }
    let known = Set(migrations.flatMap(\.journalNames))
    return contents.checksums.compactMap { name, checksum in
      checksum != nil && !known.contains(name) ? name : nil
    }.sorted()
  }

  /// Rows without a checksum were written by the Ed-Fi loader and are trusted as they are.
  private func verifyChecksums(_ contents: MigrationJournal.Contents?) throws {
    guard let contents else { return }
    for migration in migrations {
      guard let entry = journalEntry(for: migration, in: contents), let recorded = entry.checksum
      else { continue }
      let embedded = migration.checksum
      if recorded != embedded {
        throw MigrationError.checksumMismatch(
          script: migration.name, recorded: recorded, embedded: embedded)
      }
    }
  }
}
