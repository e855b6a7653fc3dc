import CODBC

/// Rows inserted with one prepared `INSERT … VALUES (?, …)` executed over parameter arrays:
/// rows are buffered column by column and sent `arraySize` at a time, so a batch costs one
/// round trip on drivers that support arrays natively (SQL Server's does).
///
/// Rows not yet sent are dropped if the writer goes away without `finish()`. After a failure
/// every call throws it again; the caller rolls back.
final class ODBCBulkWriter: BulkRowWriter {
  /// Text is laid out in slots as wide as the batch's longest value, so one long value makes
  /// every row of its batch cost as much: past this many bytes of slots the batch goes early.
  static let maxBatchBytes = 32 << 20

  private let statement: ODBCStatement
  private let table: String
  private let arraySize: Int
  private var columns: [ODBCParameterColumn]
  private var field = 0
  private var bufferedRows = 0
  private var sentRows = 0
  private var failure: DatabaseError?
  /// Where the driver reports how each row of a batch fared, and how many it processed. They
  /// are statement attributes, so they live as long as the statement does.
  private let rowStatuses: UnsafeMutablePointer<SQLUSMALLINT>
  private let processedRows: UnsafeMutablePointer<SQLULEN>

  init(session: ODBCSession, table: String, columns names: [String], arraySize: Int)
    throws(DatabaseError)
  {
    self.table = table
    self.arraySize = arraySize
    statement = try ODBCStatement(session: session)
    columns = Array(repeating: ODBCParameterColumn(), count: names.count)
    for index in columns.indices { columns[index].reserveCapacity(arraySize) }
    rowStatuses = .allocate(capacity: arraySize)
    rowStatuses.initialize(repeating: 0, count: arraySize)
    processedRows = .allocate(capacity: 1)
    processedRows.initialize(to: 0)
    let markers = Array(repeating: "?", count: names.count).joined(separator: ", ")
    try statement.prepare(
      "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(markers))")
    try statement.setAttribute(SQL_ATTR_PARAM_BIND_TYPE, integer: UInt(SQL_PARAM_BIND_BY_COLUMN))
    try statement.setAttribute(SQL_ATTR_PARAM_STATUS_PTR, pointer: rowStatuses)
    try statement.setAttribute(SQL_ATTR_PARAMS_PROCESSED_PTR, pointer: processedRows)
  }

  deinit {
    // Detach the arrays before freeing them; the statement itself goes right after.
    try? statement.setAttribute(SQL_ATTR_PARAM_STATUS_PTR, pointer: nil)
    try? statement.setAttribute(SQL_ATTR_PARAMS_PROCESSED_PTR, pointer: nil)
    rowStatuses.deallocate()
    processedRows.deallocate()
  }

  func appendNull() {
    if let column = nextField() { columns[column].appendNull() }
  }

  func append(_ value: Int64) {
    if let column = nextField() { columns[column].append(value) }
  }

  func append(utf8: UnsafeRawBufferPointer) {
    if let column = nextField() { columns[column].append(utf8: utf8) }
  }

  func append(_ text: String) {
    if let column = nextField() { columns[column].append(text) }
  }

  func endRow() throws {
    if let failure { throw failure }
    guard field == columns.count else {
      throw fail(
        DatabaseError(
          .usage,
          "ODBC: bulk row \(sentRows + bufferedRows + 1) for \(table) has \(field) fields, expected \(columns.count)"
        ))
    }
    field = 0
    bufferedRows += 1
    if bufferedRows >= arraySize || slotBytes() > Self.maxBatchBytes { try flush() }
  }

  @discardableResult
  func finish() throws -> Int {
    if let failure { throw failure }
    if field != 0 {
      throw fail(DatabaseError(.usage, "ODBC: bulk load into \(table) ended inside a row"))
    }
    try flush()
    return sentRows
  }

  // MARK: - Buffering

  /// The column the next value goes to. Extra fields are counted, not stored: `endRow` reports them.
  private func nextField() -> Int? {
    defer { field += 1 }
    guard failure == nil, field < columns.count else { return nil }
    return field
  }

  private func slotBytes() -> Int {
    columns.reduce(0) { $0 + $1.widestText } * bufferedRows * MemoryLayout<UInt16>.size
  }

  // MARK: - Sending

  private func flush() throws(DatabaseError) {
    guard bufferedRows > 0 else { return }
    let arrays = columns.map { $0.makeArray() }
    defer {
      statement.unbindParameters()
      withExtendedLifetime(arrays) {}
    }
    do throws(DatabaseError) {
      for (index, array) in arrays.enumerated() { try statement.bind(position: index + 1, array) }
      try statement.setAttribute(SQL_ATTR_PARAMSET_SIZE, integer: UInt(bufferedRows))
      rowStatuses.update(repeating: SQLUSMALLINT(SQL_PARAM_UNUSED), count: arraySize)
      processedRows.pointee = 0
      do throws(DatabaseError) {
        try statement.execute()
        // Drivers that run the rows one by one may report a later row's failure as a later result.
        try statement.drainResults()
      } catch {
        statement.closeCursor()
        throw rowError(error)
      }
      if !failedRows().isEmpty {
        throw DatabaseError(
          .statement, "ODBC: bulk insert into \(table) failed at \(failurePosition())")
      }
    } catch {
      throw fail(error)
    }
    sentRows += bufferedRows
    bufferedRows = 0
    for index in columns.indices { columns[index].removeAll() }
  }

  /// The rows of the batch the driver marked as failed, as positions within the batch.
  private func failedRows() -> [Int] {
    let processed = min(Int(processedRows.pointee), bufferedRows)
    return (0..<processed).filter { rowStatuses[$0] == SQLUSMALLINT(SQL_PARAM_ERROR) }
  }

  /// Where in the load the failure lies: one row when the driver singles it out, else the batch.
  /// psqlODBC marks every row of a failed batch, having rolled the whole batch back.
  private func failurePosition() -> String {
    let failed = failedRows()
    if failed.count == 1 || (failed.count > 1 && failed.count < bufferedRows) {
      return "row \(sentRows + failed[0] + 1)"
    }
    return bufferedRows == 1
      ? "row \(sentRows + 1)" : "a batch of rows \(sentRows + 1)–\(sentRows + bufferedRows)"
  }

  private func rowError(_ error: DatabaseError) -> DatabaseError {
    DatabaseError(
      error.kind, "\(error.message) — bulk insert into \(table), \(failurePosition())",
      sqlState: error.sqlState)
  }

  private func fail(_ error: DatabaseError) -> DatabaseError {
    failure = error
    bufferedRows = 0
    for index in columns.indices { columns[index].removeAll() }
    return error
  }
}
