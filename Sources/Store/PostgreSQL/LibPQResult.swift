import CLibPQ

/// Owns one `PGresult` and reads it. Cleared when the last reference goes.
final class LibPQResult {
  private let pointer: OpaquePointer

  init(_ pointer: OpaquePointer) { self.pointer = pointer }
  deinit { PQclear(pointer) }

  enum Status {
    case commandOK, tuplesOK, copyIn, emptyQuery, failed, other
  }

  var status: Status {
    switch PQresultStatus(pointer) {
    case PGRES_COMMAND_OK: return .commandOK
    case PGRES_TUPLES_OK: return .tuplesOK
    case PGRES_COPY_IN: return .copyIn
    case PGRES_EMPTY_QUERY: return .emptyQuery
    case PGRES_FATAL_ERROR, PGRES_BAD_RESPONSE, PGRES_NONFATAL_ERROR: return .failed
    default: return .other
    }
  }

  /// Diagnostic fields, by their protocol letters (PG_DIAG_* are character macros Swift does not import).
  enum Field: UInt8 {
    case sqlState = 0x43  // C
    case messagePrimary = 0x4D  // M
    case messageDetail = 0x44  // D
    case context = 0x57  // W
  }

  func errorField(_ field: Field) -> String? {
    guard let value = PQresultErrorField(pointer, Int32(field.rawValue)) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
  }

  var errorMessage: String { LibPQConnection.trimmed(PQresultErrorMessage(pointer)) }

  /// The command tag, e.g. `INSERT 0 3` or `ROLLBACK`.
  var commandStatus: String { PQcmdStatus(pointer).map { String(cString: $0) } ?? "" }

  /// Rows changed by INSERT/UPDATE/DELETE/MERGE/COPY…; 0 for commands that report none.
  var affectedRows: Int { PQcmdTuples(pointer).flatMap { Int(String(cString: $0)) } ?? 0 }

  var rowCount: Int { Int(PQntuples(pointer)) }
  var columnCount: Int { Int(PQnfields(pointer)) }

  func columnType(_ column: Int) -> UInt32 { PQftype(pointer, Int32(column)) }

  /// The text bytes of one value, or nil for SQL NULL. Valid while this result lives.
  func bytes(row: Int, column: Int) -> UnsafeBufferPointer<UInt8>? {
    let row = Int32(row)
    let column = Int32(column)
    if PQgetisnull(pointer, row, column) == 1 { return nil }
    let count = Int(PQgetlength(pointer, row, column))
    let start = PQgetvalue(pointer, row, column).map { UnsafeRawPointer($0) }
    return UnsafeBufferPointer(start: start?.assumingMemoryBound(to: UInt8.self), count: count)
  }
}
