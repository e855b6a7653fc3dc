import CODBC

/// Owns one statement handle. Holding the session keeps the connection open for as long as the
/// statement exists, so the statement is always freed first.
final class ODBCStatement {
  private let session: ODBCSession
  let handle: SQLHANDLE
  /// The start of the SQL, for error messages.
  private(set) var context = ""

  init(session: ODBCSession) throws(DatabaseError) {
    self.session = session
    var allocated: SQLHANDLE?
    let code = ODBCReturnCode(
      SQLAllocHandle(SQLSMALLINT(SQL_HANDLE_STMT), session.handle, &allocated))
    guard code.succeeded, let allocated else {
      throw session.error(context: "cannot allocate a statement handle")
    }
    handle = allocated
  }

  deinit { SQLFreeHandle(SQLSMALLINT(SQL_HANDLE_STMT), handle) }

  // MARK: - Running

  /// Runs `sql` at once. False when the statement ran but produced nothing to read
  /// (SQL_NO_DATA: an UPDATE or DELETE that matched no row).
  @discardableResult
  func execDirect(_ sql: String) throws(DatabaseError) -> Bool {
    context = Self.shortened(sql)
    var units = ODBCWideText.terminated(sql)
    let code = ODBCReturnCode(SQLExecDirectW(handle, &units, SQLINTEGER(units.count - 1)))
    return try checkedExecution(code)
  }

  func prepare(_ sql: String) throws(DatabaseError) {
    context = Self.shortened(sql)
    var units = ODBCWideText.terminated(sql)
    try check(ODBCReturnCode(SQLPrepareW(handle, &units, SQLINTEGER(units.count - 1))))
  }

  @discardableResult
  func execute() throws(DatabaseError) -> Bool {
    try checkedExecution(ODBCReturnCode(SQLExecute(handle)))
  }

  /// Moves to the next result of a batch or parameter array; false when there is none. The
  /// errors of later statements in a batch only surface here.
  func moreResults() throws(DatabaseError) -> Bool {
    try checkedExecution(ODBCReturnCode(SQLMoreResults(handle)))
  }

  /// Reads every remaining result so that an error in any of them is thrown, and leaves the
  /// handle ready for another execution.
  func drainResults() throws(DatabaseError) {
    while try moreResults() {}
    closeCursor()
  }

  func closeCursor() { SQLFreeStmt(handle, SQLUSMALLINT(SQL_CLOSE)) }

  /// Rows the last statement changed; 0 where the driver reports none (-1 after DDL).
  func rowCount() throws(DatabaseError) -> Int {
    var count: SQLLEN = 0
    try check(ODBCReturnCode(SQLRowCount(handle, &count)))
    return max(0, Int(count))
  }

  // MARK: - Parameters

  /// Binds `array` as input parameter `position` (from 1). Its memory must stay put until the
  /// statement has been executed.
  func bind(position: Int, _ array: ODBCParameterArray) throws(DatabaseError) {
    let code = ODBCReturnCode(
      SQLBindParameter(
        handle, SQLUSMALLINT(position), SQLSMALLINT(SQL_PARAM_INPUT), array.cType, array.sqlType,
        array.columnSize, 0, array.values, array.elementByteCount, array.indicators))
    try check(code)
  }

  /// Forgets the bound parameters, so that no pointer to freed memory stays with the handle.
  func unbindParameters() { SQLFreeStmt(handle, SQLUSMALLINT(SQL_RESET_PARAMS)) }

  func setAttribute(_ attribute: Int32, integer value: UInt) throws(DatabaseError) {
    try check(
      ODBCReturnCode(
        SQLSetStmtAttrW(handle, SQLINTEGER(attribute), SQLPOINTER(bitPattern: value), 0)))
  }

  func setAttribute(_ attribute: Int32, pointer: UnsafeMutableRawPointer?) throws(DatabaseError) {
    try check(ODBCReturnCode(SQLSetStmtAttrW(handle, SQLINTEGER(attribute), pointer, 0)))
  }

  // MARK: - Results

  struct Column {
    let name: String
    let sqlType: Int32
    let decimalDigits: Int
  }

  func columns() throws(DatabaseError) -> [Column] {
    var count: SQLSMALLINT = 0
    try check(ODBCReturnCode(SQLNumResultCols(handle, &count)))
    var columns: [Column] = []
    for index in 0..<Int(count) {
      var name = [SQLWCHAR](repeating: 0, count: 256)
      var nameLength: SQLSMALLINT = 0
      var type: SQLSMALLINT = 0
      var size: SQLULEN = 0
      var digits: SQLSMALLINT = 0
      var nullable: SQLSMALLINT = 0
      try check(
        ODBCReturnCode(
          SQLDescribeColW(
            handle, SQLUSMALLINT(index + 1), &name, SQLSMALLINT(name.count), &nameLength, &type,
            &size, &digits, &nullable)))
      let length = min(Int(nameLength), name.count - 1)
      columns.append(
        Column(
          name: ODBCWideText.string(name, byteCount: length * 2), sqlType: Int32(type),
          decimalDigits: Int(digits)))
    }
    return columns
  }

  /// Moves to the next row; false after the last.
  func fetch() throws(DatabaseError) -> Bool {
    let code = ODBCReturnCode(SQLFetch(handle))
    if code.isNoData { return false }
    try check(code)
    return true
  }

  func integer(column: Int) throws(DatabaseError) -> Int64? {
    var value: Int64 = 0
    var indicator: SQLLEN = 0
    try check(
      ODBCReturnCode(
        SQLGetData(
          handle, SQLUSMALLINT(column + 1), SQLSMALLINT(SQL_C_SBIGINT), &value,
          SQLLEN(MemoryLayout<Int64>.size), &indicator)))
    return indicator == SQLLEN(SQL_NULL_DATA) ? nil : value
  }

  func double(column: Int) throws(DatabaseError) -> Double? {
    var value: Double = 0
    var indicator: SQLLEN = 0
    try check(
      ODBCReturnCode(
        SQLGetData(
          handle, SQLUSMALLINT(column + 1), SQLSMALLINT(SQL_C_DOUBLE), &value,
          SQLLEN(MemoryLayout<Double>.size), &indicator)))
    return indicator == SQLLEN(SQL_NULL_DATA) ? nil : value
  }

  /// The column as text, read in chunks: a driver hands long values over piece by piece, each
  /// piece NUL-terminated, and says how much is left when it knows.
  func text(column: Int, chunkUnits: Int = 4096) throws(DatabaseError) -> String? {
    var units: [SQLWCHAR] = []
    var buffer = [SQLWCHAR](repeating: 0, count: chunkUnits)
    let unitSize = MemoryLayout<SQLWCHAR>.size
    while true {
      var indicator: SQLLEN = 0
      let code = ODBCReturnCode(
        SQLGetData(
          handle, SQLUSMALLINT(column + 1), SQLSMALLINT(SQL_C_WCHAR), &buffer,
          SQLLEN(buffer.count * unitSize), &indicator))
      if code.isNoData { break }
      try check(code)
      if indicator == SQLLEN(SQL_NULL_DATA) { return nil }
      let room = buffer.count - 1
      let remaining = indicator == SQLLEN(SQL_NO_TOTAL) ? Int.max : Int(indicator) / unitSize
      if remaining <= room {
        units.append(contentsOf: buffer[..<remaining])
        break
      }
      units.append(contentsOf: buffer[..<room])
      // The rest's size is known: fetch it in one more call.
      if remaining != Int.max, remaining - room + 1 > buffer.count {
        buffer = [SQLWCHAR](repeating: 0, count: remaining - room + 1)
      }
    }
    return units.withUnsafeBufferPointer(ODBCWideText.string)
  }

  // MARK: - Errors

  func check(_ code: ODBCReturnCode) throws(DatabaseError) {
    guard code.succeeded else { throw error() }
  }

  func diagnostics() -> [ODBCDiagnostics.Record] {
    ODBCDiagnostics.records(handleType: SQL_HANDLE_STMT, handle: handle)
  }

  func error(records: [ODBCDiagnostics.Record]? = nil, context extra: String? = nil)
    -> DatabaseError
  {
    ODBCDiagnostics.error(
      records: records ?? diagnostics(), redactor: session.connectionString,
      context: extra ?? (context.isEmpty ? "" : "in: \(context)"))
  }

  private func checkedExecution(_ code: ODBCReturnCode) throws(DatabaseError) -> Bool {
    if code.isNoData { return false }
    if code.raw == SQLRETURN(SQL_NEED_DATA) {
      throw DatabaseError(
        .usage, "ODBC: the driver asked for data at execution, which is never bound")
    }
    try check(code)
    return true
  }

  private static func shortened(_ sql: String) -> String {
    sql.count > 300 ? String(sql.prefix(300)) + "…" : sql
  }
}
