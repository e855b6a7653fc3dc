/// The type a CSV value is read as, and stored as.
public enum ColumnType: Sendable, Hashable {
  /// Text of at most this many UTF-16 code units.
  case text(maxLength: Int)
  /// `timestamp without time zone` (SQLite: TEXT `YYYY-MM-DD HH:MM:SS[.ffffff]`).
  case timestamp
  /// `date` (SQLite: TEXT `YYYY-MM-DD`).
  case date
  /// A 32-bit integer; a written fraction is rounded half away from zero.
  case integer
}
