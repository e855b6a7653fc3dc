/// Serialises migration runs of several processes against one database.
///
/// PostgreSQL: a session-level advisory lock held on the migrating connection for the whole run, so a
/// second process waits and then finds everything applied. SQLite has no such lock; there every
/// script's transaction is BEGIN IMMEDIATE (the database's write lock) and re-reads the journal.
enum MigrationLock {
  /// The bytes of "lmsds_mg" read as a big-endian integer; any constant no other tool uses would do.
  static let postgresKey: Int64 = 7_813_027_803_827_236_199

  static func holding<T>(on connection: any SQLConnection, _ body: () throws -> T) throws -> T {
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
}
