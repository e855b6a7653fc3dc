/// Sorts a PostgreSQL failure into the kinds callers act on: retry later, retry the transaction,
/// or give up on the statement.
enum PostgresErrorClassification {
  static func kind(sqlState: String?, connectionBroken: Bool) -> DatabaseError.Kind {
    if connectionBroken { return .connection }
    guard let sqlState else { return .statement }
    switch sqlState {
    // serialization_failure, deadlock_detected, lock_not_available
    case "40001", "40P01", "55P03":
      return .conflict
    // admin_shutdown, crash_shutdown, cannot_connect_now
    case "57P01", "57P02", "57P03":
      return .connection
    default:
      return sqlState.hasPrefix("08") ? .connection : .statement
    }
  }

  /// The error a failed result describes, with SQLSTATE, primary message and detail.
  static func error(
    from result: LibPQResult?, connection: LibPQConnection, context: String? = nil
  ) -> DatabaseError {
    let sqlState = result?.errorField(.sqlState)
    var message: String
    if let primary = result?.errorField(.messagePrimary) {
      message = primary
      if let detail = result?.errorField(.messageDetail) { message += " (\(detail))" }
    } else {
      // Client-side failures (a broken socket, out of memory) come without diagnostic fields.
      message =
        result.map(\.errorMessage).flatMap { $0.isEmpty ? nil : $0 } ?? connection.errorMessage
      if message.isEmpty { message = "unknown error" }
    }
    if let context { message += " in: \(context)" }
    return DatabaseError(
      kind(sqlState: sqlState, connectionBroken: !connection.isConnected),
      "PostgreSQL: \(message)", sqlState: sqlState)
  }
}
