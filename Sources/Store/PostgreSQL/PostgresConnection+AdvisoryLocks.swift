/// Advisory locks: how loaders on several machines agree that one of them works on a provider
/// (or migrates the schema) at a time.
extension PostgresConnection {
  /// Waits for the lock on `key`; it is released when the current transaction ends.
  public func advisoryTransactionLock(_ key: Int64) throws {
    _ = try query("SELECT pg_advisory_xact_lock($1::bigint)", [.integer(key)])
  }

  /// Takes the lock on `key` for the current transaction if no other session holds it.
  public func tryAdvisoryTransactionLock(_ key: Int64) throws -> Bool {
    try scalar("SELECT pg_try_advisory_xact_lock($1::bigint)", [.integer(key)]) == .integer(1)
  }

  /// Waits for the session-level lock on `key`; held until `advisoryUnlock` or disconnection.
  public func advisoryLock(_ key: Int64) throws {
    _ = try query("SELECT pg_advisory_lock($1::bigint)", [.integer(key)])
  }

  /// Releases one hold of the session-level lock on `key`; false when this session did not hold it.
  @discardableResult
  public func advisoryUnlock(_ key: Int64) throws -> Bool {
    try scalar("SELECT pg_advisory_unlock($1::bigint)", [.integer(key)]) == .integer(1)
  }
}
