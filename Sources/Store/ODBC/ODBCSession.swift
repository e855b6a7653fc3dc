import CODBC

/// Owns one ODBC connection handle. It keeps its environment alive, and statements keep it
/// alive, so handles are always freed child first: statement, connection, environment.
final class ODBCSession {
  private let environment: ODBCEnvironment
  let handle: SQLHANDLE
  let connectionString: ODBCConnectionString
  private var isConnected = false

  init(environment: ODBCEnvironment, connectionString: ODBCConnectionString) throws(DatabaseError) {
    self.environment = environment
    self.connectionString = connectionString
    var allocated: SQLHANDLE?
    let code = ODBCReturnCode(
      SQLAllocHandle(SQLSMALLINT(SQL_HANDLE_DBC), environment.handle, &allocated))
    guard code.succeeded, let allocated else {
      throw ODBCDiagnostics.error(
        handleType: SQL_HANDLE_ENV, handle: environment.handle, redactor: connectionString,
        context: "cannot allocate a connection handle")
    }
    handle = allocated
  }

  deinit {
    // A connection with a transaction open is rolled back by the server when it goes; the
    // driver manager refuses to disconnect in that state, so end it first.
    if isConnected {
      SQLEndTran(SQLSMALLINT(SQL_HANDLE_DBC), handle, SQLSMALLINT(SQL_ROLLBACK))
      SQLDisconnect(handle)
    }
    SQLFreeHandle(SQLSMALLINT(SQL_HANDLE_DBC), handle)
  }

  /// Connects without ever prompting. The connection string goes to the driver unchanged; the
  /// wide copy made for the call is wiped, and messages only ever show the redacted form.
  func connect(loginTimeoutSeconds: Int?) throws(DatabaseError) {
    if let loginTimeoutSeconds {
      // Not every driver supports a login timeout; one that refuses it still connects.
      _ = setAttribute(SQL_ATTR_LOGIN_TIMEOUT, UInt(max(0, loginTimeoutSeconds)))
    }
    var units = ODBCWideText.terminated(connectionString.text)
    defer { units.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
    var outLength: SQLSMALLINT = 0
    let code = ODBCReturnCode(
      SQLDriverConnectW(
        handle, nil, &units, SQLSMALLINT(clamping: units.count - 1), nil, 0, &outLength,
        SQLUSMALLINT(SQL_DRIVER_NOPROMPT)))
    guard code.succeeded else {
      let records = ODBCDiagnostics.records(handleType: SQL_HANDLE_DBC, handle: handle)
      var context = "cannot connect with \(connectionString.redacted)"
      var kind = DatabaseError.Kind.connection
      if ODBCMissingDriver.isMissingDriver(records),
        let driver = ODBCMissingDriver.driver(in: connectionString)
      {
        context += ": " + ODBCMissingDriver.advice(driver: driver)
        // Not worth retrying: a worker would otherwise wait for a driver that never comes.
        kind = .usage
      }
      throw ODBCDiagnostics.error(
        records: records, redactor: connectionString, context: context, kind: kind)
    }
    isConnected = true
  }

  /// A text answer of SQLGetInfo, such as SQL_DBMS_NAME.
  func info(_ type: Int32) throws(DatabaseError) -> String {
    var buffer = [SQLWCHAR](repeating: 0, count: 256)
    var byteCount: SQLSMALLINT = 0
    var code = ODBCReturnCode(
      SQLGetInfoW(
        handle, SQLUSMALLINT(type), &buffer, SQLSMALLINT(buffer.count * 2), &byteCount))
    if code.succeeded, Int(byteCount) >= buffer.count * 2 {
      buffer = [SQLWCHAR](repeating: 0, count: Int(byteCount) / 2 + 1)
      code = ODBCReturnCode(
        SQLGetInfoW(
          handle, SQLUSMALLINT(type), &buffer, SQLSMALLINT(clamping: buffer.count * 2), &byteCount))
    }
    guard code.succeeded else { throw error(context: "SQLGetInfo(\(type)) failed") }
    return ODBCWideText.string(buffer, byteCount: Int(byteCount))
  }

  func setAutocommit(_ on: Bool) throws(DatabaseError) {
    let value = UInt(on ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF)
    guard setAttribute(SQL_ATTR_AUTOCOMMIT, value) else {
      throw error(context: "cannot turn autocommit \(on ? "on" : "off")")
    }
  }

  func endTransaction(commit: Bool) throws(DatabaseError) {
    let code = ODBCReturnCode(
      SQLEndTran(
        SQLSMALLINT(SQL_HANDLE_DBC), handle, SQLSMALLINT(commit ? SQL_COMMIT : SQL_ROLLBACK)))
    guard code.succeeded else { throw error(context: commit ? "COMMIT failed" : "ROLLBACK failed") }
  }

  func error(context: String) -> DatabaseError {
    ODBCDiagnostics.error(
      handleType: SQL_HANDLE_DBC, handle: handle, redactor: connectionString, context: context)
  }

  private func setAttribute(_ attribute: Int32, _ value: UInt) -> Bool {
    ODBCReturnCode(
      SQLSetConnectAttrW(
        handle, SQLINTEGER(attribute), SQLPOINTER(bitPattern: value), SQLINTEGER(SQL_IS_UINTEGER))
    ).succeeded
  }
}
