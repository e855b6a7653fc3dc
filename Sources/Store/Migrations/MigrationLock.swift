/// Serialises migration runs of several processes against one database.
///
/// PostgreSQL: a session-level advisory lock held on the migrating connection for the whole run, so a
/// second process waits and then finds everything applied (SQL Server: a session-owned application
/// lock, the same way). SQLite has no such lock; there every
/// script's transaction is BEGIN IMMEDIATE (the database's write lock) and re-reads the journal.
enum MigrationLock {
  /// The bytes of "lmsds_mg" read as a big-endian integer; any constant no other tool uses would do.
  static let postgresKey: Int64 = 7_813_027_803_827_236_199

  /// SQL Server: an application lock owned by the session, so it outlives each script's transaction.
  /// The batch fails (THROW) unless the lock was granted; it waits as long as the holder migrates.
  static let sqlServerAcquire = """
    DECLARE @result int; EXEC @result = sp_getapplock @Resource = N'lmsds:migrations', \
    @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1; \
    IF @result < 0 THROW 51001, N'could not take the lmsds migration lock', 1;
    """
  static let sqlServerRelease = """
    DECLARE @result int; EXEC @result = sp_releaseapplock @Resource = N'lmsds:migrations', \
    @LockOwner = 'Session'; \
    IF @result < 0 THROW 51002, N'could not release the lmsds migration lock', 1;
    """

  static func holding<T>(on connection: any SQLConnection, _ body: () throws -> T) throws -> T {
    if connection.dialect == .sqlserver {
      return try holding(on: connection, acquire: sqlServerAcquire, release: sqlServerRelease, body)
    }
    guard connection.dialect == .postgresql else { return try body() }
    do {
      _ = try connection.query("SELECT pg_advisory_lock(\(postgresKey))")
    } catch {
      throw MigrationError.lockFailed(message: String(describing: error))
    }
    let result = Result { try body() }
    // The lock is released even when a script failed; a broken session releases it by ending.
    let released = Result { _ = try connection.query("SELECT pg_advisory_unlock(\(postgresKey))") }
    if case .failure(let error) = released, case .success = result {
      throw MigrationError.lockFailed(message: "release: \(error)")
    }
    return try result.get()
  }

  private static func holding<T>(
    on connection: any SQLConnection, acquire: String, release: String, _ body: () throws -> T
  ) throws -> T {
    do {
      try connection.execute(acquire)
    } catch {
      throw MigrationError.lockFailed(message: String(describing: error))
    }
    let result = Result { try body() }
    // Released even when a script failed; a broken session releases it by ending.
    let released = Result { try connection.execute(release) }
    if case .failure(let error) = released, case .success = result {
      throw MigrationError.lockFailed(message: "release: \(error)")
    }
    return try result.get()
  }
}
