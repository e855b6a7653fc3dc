import Messages

/// The exclusive per-provider lock held until commit (load-semantics §8).
public enum ProviderLock {
  /// The statement that takes the lock inside the current transaction, where the dialect needs one.
  /// SQLite needs none: `BEGIN IMMEDIATE` already holds the database's only write lock.
  public static func statement(for provider: ProviderName, dialect: SQLDialect) -> SQLStatement? {
    switch dialect {
    case .postgresql:
      return SQLStatement("SELECT pg_advisory_xact_lock($1)", [.integer(key(for: provider))])
    case .sqlserver:
      return SQLStatement(
        """
        DECLARE @result int; EXEC @result = sp_getapplock @Resource = $1, @LockMode = 'Exclusive', \
        @LockOwner = 'Transaction', @LockTimeout = -1; \
        IF @result < 0 THROW 51000, 'could not take the provider lock', 1;
        """, [.text("lmsds:" + provider.rawValue)])
    case .sqlite:
      return nil
    }
  }

  /// A stable 64-bit key (FNV-1a of the provider name), the same in every process and version.
  public static func key(for provider: ProviderName) -> Int64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in ("lmsds:" + provider.rawValue).utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    return Int64(bitPattern: hash)
  }
}
