import CODBC

/// The unixODBC environment handle. Each connection owns its own, so the last connection to go
/// frees it and no global state has to outlive the process's connections.
final class ODBCEnvironment {
  let handle: SQLHANDLE

  init() throws(DatabaseError) {
    var allocated: SQLHANDLE?
    let code = ODBCReturnCode(SQLAllocHandle(SQLSMALLINT(SQL_HANDLE_ENV), nil, &allocated))
    guard code.succeeded, let allocated else {
      throw DatabaseError(.usage, "ODBC: cannot allocate an environment handle")
    }
    handle = allocated
    // 3.8 lets drivers such as Microsoft's report their newer features; a driver manager that
    // does not know it still accepts ODBC 3, which is all this driver relies on.
    if !setVersion(UInt(SQL_OV_ODBC3_80)), !setVersion(UInt(SQL_OV_ODBC3)) {
      let error = ODBCDiagnostics.error(
        handleType: SQL_HANDLE_ENV, handle: handle, redactor: nil,
        context: "cannot select ODBC version 3")
      throw error
    }
  }

  deinit { SQLFreeHandle(SQLSMALLINT(SQL_HANDLE_ENV), handle) }

  private func setVersion(_ version: UInt) -> Bool {
    ODBCReturnCode(
      SQLSetEnvAttr(handle, SQLINTEGER(SQL_ATTR_ODBC_VERSION), SQLPOINTER(bitPattern: version), 0)
    ).succeeded
  }
}
