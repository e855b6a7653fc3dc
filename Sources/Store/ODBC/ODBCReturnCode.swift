import CODBC

/// What an ODBC call answered. SQL_SUCCESS_WITH_INFO counts as success: its warnings (a
/// truncated chunk, a changed option) are the caller's to look at, not failures.
struct ODBCReturnCode: Equatable {
  let raw: SQLRETURN

  init(_ raw: SQLRETURN) { self.raw = raw }

  var succeeded: Bool { raw == SQLRETURN(SQL_SUCCESS) || raw == SQLRETURN(SQL_SUCCESS_WITH_INFO) }
  var hasInfo: Bool { raw == SQLRETURN(SQL_SUCCESS_WITH_INFO) }
  var isNoData: Bool { raw == SQLRETURN(SQL_NO_DATA) }
}
