import UDM

/// A database session. Not shared between tasks: each worker loop owns its connection.
///
/// Parameters are written `$1`, `$2`, … in every dialect; each driver maps them to its own form.
public protocol SQLConnection: AnyObject {
  var dialect: SQLDialect { get }

  /// Runs one or more `;`-separated statements that take no parameters.
  func executeScript(_ sql: String) throws

  /// Runs one statement; returns the number of rows it changed.
  @discardableResult
  func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int

  /// Runs one statement and returns all its rows.
  func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow]

  /// Starts a bulk load of rows into `table` (COPY on PostgreSQL, a prepared INSERT elsewhere).
  func makeBulkWriter(table: String, columns: [String]) throws -> any BulkRowWriter

  /// The same, with `derived` columns the database computes for each row from its values; only
  /// where the dialect's renderer asks for them (elsewhere a usage error unless `derived` is empty).
  func makeBulkWriter(table: String, columns: [String], derived: [DerivedColumn]) throws
    -> any BulkRowWriter

  /// Starts a transaction that holds the database's write lock where the dialect has one.
  func begin() throws
  func commit() throws
  func rollback() throws

  /// Something another thread may use to stop this session's running statement; nil where the
  /// driver cannot (then the statement runs to its end).
  func makeStatementCanceller() -> (any StatementCanceller)?
}

extension SQLConnection {
  public func makeStatementCanceller() -> (any StatementCanceller)? { nil }

  public func makeBulkWriter(table: String, columns: [String], derived: [DerivedColumn]) throws
    -> any BulkRowWriter
  {
    guard derived.isEmpty else {
      throw DatabaseError(.usage, "\(dialect) computes no column while loading rows")
    }
    return try makeBulkWriter(table: table, columns: columns)
  }

  @discardableResult
  public func execute(_ sql: String) throws -> Int { try execute(sql, []) }

  public func query(_ sql: String) throws -> [SQLRow] { try query(sql, []) }

  /// The first column of the first row, or nil.
  public func scalar(_ sql: String, _ parameters: [SQLValue] = []) throws -> SQLValue? {
    try query(sql, parameters).first?.values.first
  }

  /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
  public func transaction<T>(_ body: () throws -> T) throws -> T {
    try begin()
    do {
      let result = try body()
      try commit()
      return result
    } catch {
      try? rollback()
      throw error
    }
  }
}

/// Receives rows field by field, without building an array per row.
public protocol BulkRowWriter: AnyObject {
  func appendNull()
  func append(_ value: Int64)
  /// UTF-8 text given as bytes, already validated.
  func append(utf8: UnsafeRawBufferPointer)
  func append(_ text: String)
  /// A timestamp (stored without zone) and a date: as their canonical text, unless the writer
  /// has a better form for the column.
  func append(_ timestamp: LMSTimestamp)
  func append(_ date: LMSDate)
  /// Ends the current row; the number of fields appended must equal the column count.
  func endRow() throws
  /// Sends what is buffered and ends the load; returns the number of rows written.
  @discardableResult
  func finish() throws -> Int
}

extension BulkRowWriter {
  public func append(_ timestamp: LMSTimestamp) { timestamp.withCanonicalUTF8 { append(utf8: $0) } }
  public func append(_ date: LMSDate) { date.withCanonicalUTF8 { append(utf8: $0) } }
}
