import CODBC
import Foundation

/// Reads the diagnostic records a failed call left on its handle and turns them into one
/// `DatabaseError`.
enum ODBCDiagnostics {
  struct Record {
    let sqlState: String
    let nativeError: Int32
    let message: String
  }

  /// Every record, in the driver's order: the first carries the SQLSTATE that matters, later
  /// ones often hold the server's detail.
  static func records(handleType: Int32, handle: SQLHANDLE) -> [Record] {
    var records: [Record] = []
    var number: SQLSMALLINT = 1
    // Bounded: a misbehaving driver must not keep the loop going.
    while number <= 50 {
      guard let record = record(number, handleType: handleType, handle: handle) else { break }
      records.append(record)
      number += 1
    }
    return records
  }

  private static func record(_ number: SQLSMALLINT, handleType: Int32, handle: SQLHANDLE) -> Record?
  {
    var state = [SQLWCHAR](repeating: 0, count: 6)
    var native: SQLINTEGER = 0
    var message = [SQLWCHAR](repeating: 0, count: 1024)
    var length: SQLSMALLINT = 0
    var code = ODBCReturnCode(
      SQLGetDiagRecW(
        SQLSMALLINT(handleType), handle, number, &state, &native, &message,
        SQLSMALLINT(message.count), &length))
    // The length is in characters; a longer message is fetched again whole rather than cut.
    if code.succeeded, Int(length) >= message.count {
      message = [SQLWCHAR](repeating: 0, count: Int(length) + 1)
      code = ODBCReturnCode(
        SQLGetDiagRecW(
          SQLSMALLINT(handleType), handle, number, &state, &native, &message,
          SQLSMALLINT(message.count), &length))
    }
    guard code.succeeded else { return nil }
    let stateText = ODBCWideText.string(state, byteCount: 5 * MemoryLayout<SQLWCHAR>.size)
    let text = ODBCWideText.string(
      message, byteCount: Int(length) * MemoryLayout<SQLWCHAR>.size)
    return Record(
      sqlState: stateText, nativeError: native,
      message: text.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  static func kind(sqlState: String?) -> DatabaseError.Kind {
    guard let sqlState else { return .statement }
    switch sqlState {
    // serialization failure, deadlock (PostgreSQL's spelling), timeout expired (lock waits)
    case "40001", "40P01", "HYT00":
      return .conflict
    default:
      return sqlState.hasPrefix("08") ? .connection : .statement
    }
  }

  /// The error for a failed call on `handle`. `context` says what was being done (the start of
  /// the SQL, the table being loaded); `redactor` masks the password in every text that goes out.
  static func error(
    handleType: Int32, handle: SQLHANDLE, redactor: ODBCConnectionString?, context: String,
    kind forcedKind: DatabaseError.Kind? = nil
  ) -> DatabaseError {
    error(
      records: records(handleType: handleType, handle: handle), redactor: redactor,
      context: context, kind: forcedKind)
  }

  static func error(
    records: [Record], redactor: ODBCConnectionString?, context: String,
    kind forcedKind: DatabaseError.Kind? = nil
  ) -> DatabaseError {
    // Warnings (01xxx) may precede the error; the first record of another class names it.
    let primary = records.first { !$0.sqlState.hasPrefix("01") } ?? records.first
    let sqlState = primary.map(\.sqlState).flatMap { $0.count == 5 ? $0 : nil }
    var messages: [String] = []
    for record in records where !record.message.isEmpty && !messages.contains(record.message) {
      messages.append(record.message)
    }
    var message =
      messages.isEmpty ? "the driver gave no diagnostics" : messages.joined(separator: " / ")
    if !context.isEmpty { message += " — \(context)" }
    if let redactor { message = redactor.redacting(message) }
    return DatabaseError(
      forcedKind ?? kind(sqlState: sqlState), "ODBC: \(message)", sqlState: sqlState)
  }
}
