/// A failure reported by a database driver. The message never holds a password.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// The server could not be reached or the session broke: worth retrying later.
    case connection
    /// A statement failed.
    case statement
    /// Two sessions conflicted (deadlock, serialization, busy): worth retrying the transaction.
    case conflict
    /// A misuse of the API or a setting that cannot work.
    case usage
  }

  public let kind: Kind
  public let message: String
  /// SQLSTATE where the driver reports one.
  public let sqlState: String?

  public init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
    self.kind = kind
    self.message = message
    self.sqlState = sqlState
  }

  public var description: String {
    sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message
  }
}
