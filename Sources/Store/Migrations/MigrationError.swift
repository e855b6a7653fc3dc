/// Why a migration run stopped. Every case that concerns a script names it.
public enum MigrationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The journal records a checksum for `script` that differs from the script in this binary:
  /// someone edited an applied script, or the database was migrated by a different build.
  case checksumMismatch(script: String, recorded: String, embedded: String)
  /// The script (or its journal row) failed; its transaction was rolled back, earlier scripts stay.
  case scriptFailed(script: String, message: String)
  /// The first script ran but the journal still does not exist.
  case journalNotCreated(script: String)
  /// The dialect has no journal handling yet.
  case unsupportedDialect(SQLDialect)
  /// The database-wide migration lock could not be taken or released.
  case lockFailed(message: String)
  /// The journal holds scripts of ours this binary does not know: a newer lmsds migrated the
  /// database, and this one would read and write a schema it was not built for.
  case newerSchema(unknownScripts: [String], newestKnown: String?)

  public var description: String {
    switch self {
    case .checksumMismatch(let script, let recorded, let embedded):
      return
        "migration \(script) was applied with checksum \(recorded) but this build has \(embedded);"
        + " an applied script must never change"
    case .scriptFailed(let script, let message):
      return "migration \(script) failed and was rolled back: \(message)"
    case .journalNotCreated(let script):
      return "migration \(script) ran but did not create the migration journal"
    case .unsupportedDialect(let dialect):
      return "migrations are not supported on \(dialect.rawValue) yet"
    case .lockFailed(let message):
      return "cannot take the migration lock: \(message)"
    case .newerSchema(let unknown, let newestKnown):
      return "the database was migrated by a newer lmsds: its journal holds "
        + unknown.joined(separator: ", ")
        + ", which this build does not know (its newest script is "
        + (newestKnown ?? "none") + "); run an lmsds at least as new as the one that migrated it"
    }
  }
}
