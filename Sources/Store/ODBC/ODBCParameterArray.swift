import CODBC
import Foundation

/// Memory the driver reads a bound parameter from: `rows` values of `elementByteCount` bytes each,
/// and one length-or-NULL indicator per row. Freed when the last reference goes, so the owner
/// keeps it alive until the statement has run and its parameters were unbound.
final class ODBCParameterArray {
  let rows: Int
  let values: UnsafeMutableRawPointer
  let elementByteCount: SQLLEN
  let indicators: UnsafeMutablePointer<SQLLEN>
  let cType: SQLSMALLINT
  let sqlType: SQLSMALLINT
  let columnSize: SQLULEN

  init(rows: Int, elementByteCount: Int, cType: Int32, sqlType: Int32, columnSize: Int) {
    self.rows = rows
    self.elementByteCount = SQLLEN(elementByteCount)
    self.cType = SQLSMALLINT(cType)
    self.sqlType = SQLSMALLINT(sqlType)
    self.columnSize = SQLULEN(columnSize)
    values = .allocate(byteCount: max(1, rows * elementByteCount), alignment: 8)
    // Zeroed so no stale memory is ever handed to the driver; memset, as a byte loop over
    // batches of long text would cost more than the insert.
    memset(values, 0, max(1, rows * elementByteCount))
    indicators = .allocate(capacity: max(1, rows))
    indicators.initialize(repeating: 0, count: max(1, rows))
  }

  deinit {
    values.deallocate()
    indicators.deallocate()
  }
}
