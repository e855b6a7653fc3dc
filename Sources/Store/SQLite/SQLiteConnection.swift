import CSQLite

/// A SQLite database file, opened in WAL mode with a busy timeout so that several processes may share it.
public final class SQLiteConnection: SQLConnection {
  public let dialect = SQLDialect.sqlite
  let handle: OpaquePointer
  /// Prepared statements by their `$N` text, with the value each positional `?` takes.
  private var statementCache: [String: PreparedStatement] = [:]
  /// Bounded, because statements whose text varies (an IN list's length) would otherwise grow it
  /// without end in a long-lived session; past the bound a statement is prepared for one use.
  static let statementCacheCapacity = 256
  var cachedStatementCount: Int { statementCache.count }
  let interrupter: SQLiteInterrupter

  /// Opens (creating when missing) the database at `path`; `:memory:` for a private in-memory one.
  public init(path: String, busyTimeoutMilliseconds: Int32 = 60_000) throws {
    var db: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
    let status = sqlite3_open_v2(path, &db, flags, nil)
    guard status == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      if let db { sqlite3_close_v2(db) }
      throw DatabaseError(.connection, "cannot open SQLite database \(path): \(message)")
    }
    handle = db
    interrupter = SQLiteInterrupter(db)
    sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    sqlite3_extended_result_codes(db, 1)
    // Switching a new file to WAL takes an exclusive lock without calling the busy handler: two
    // processes opening the same new database at once see SQLITE_BUSY, so wait here instead.
    let deadline = ContinuousClock.now + .milliseconds(Int(busyTimeoutMilliseconds))
    while true {
      do {
        try executeScript(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
        break
      } catch let error as DatabaseError where error.kind == .conflict {
        if ContinuousClock.now >= deadline { throw error }
        sqlite3_sleep(10)
      }
    }
  }

  deinit {
    interrupter.invalidate()
    for prepared in statementCache.values { sqlite3_finalize(prepared.statement) }
    sqlite3_close_v2(handle)
  }

  public func makeStatementCanceller() -> (any StatementCanceller)? { interrupter }

  public func executeScript(_ sql: String) throws {
    var errorMessage: UnsafeMutablePointer<CChar>?
    let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
    if status != SQLITE_OK {
      let message = errorMessage.map { String(cString: $0) } ?? lastErrorMessage
      sqlite3_free(errorMessage)
      throw error(status, message)
    }
  }

  @discardableResult
  public func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
    let prepared = try prepared(sql, parameterCount: parameters.count)
    let statement = prepared.statement
    defer { release(prepared) }
    try bind(parameters, to: prepared)
    while true {
      let status = sqlite3_step(statement)
      if status == SQLITE_DONE { break }
      if status != SQLITE_ROW { throw error(status, lastErrorMessage) }
    }
    return Int(sqlite3_changes(handle))
  }

  public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
    let prepared = try prepared(sql, parameterCount: parameters.count)
    let statement = prepared.statement
    defer { release(prepared) }
    try bind(parameters, to: prepared)
    var rows: [SQLRow] = []
    let columnCount = sqlite3_column_count(statement)
    while true {
      let status = sqlite3_step(statement)
      if status == SQLITE_DONE { break }
      guard status == SQLITE_ROW else { throw error(status, lastErrorMessage) }
      var values: [SQLValue] = []
      values.reserveCapacity(Int(columnCount))
      for column in 0..<columnCount {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL: values.append(.null)
        case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(statement, column)))
        default:
          let count = Int(sqlite3_column_bytes(statement, column))
          if let pointer = sqlite3_column_text(statement, column) {
            values.append(
              .text(
                String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)))
          } else {
            values.append(.text(""))
          }
        }
      }
      rows.append(SQLRow(values))
    }
    return rows
  }

  public func makeBulkWriter(table: String, columns: [String]) throws -> any BulkRowWriter {
    try makeBulkWriter(table: table, columns: columns, derived: [])
  }

  public func makeBulkWriter(table: String, columns: [String], derived: [DerivedColumn]) throws
    -> any BulkRowWriter
  {
    let names = columns + derived.map(\.name)
    let values = (1...columns.count).map { "?\($0)" } + derived.map(\.expression)
    let sql =
      "INSERT INTO \(table) (\(names.joined(separator: ", "))) "
      + "VALUES (\(values.joined(separator: ", ")))"
    return SQLiteBulkWriter(
      connection: self,
      statement: try prepared(sql, parameterCount: 0, rewriting: false, alwaysCached: true)
        .statement,
      columnCount: columns.count)
  }

  /// Takes the write lock at once, so that the per-provider checks and the apply are serialised.
  public func begin() throws {
    interrupter.request.clear()
    try executeScript("BEGIN IMMEDIATE")
  }
  public func commit() throws { try executeScript("COMMIT") }
  public func rollback() throws { try executeScript("ROLLBACK") }

  // MARK: - Internals

  var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

  func error(_ status: Int32, _ message: String) -> DatabaseError {
    switch status & 0xFF {
    case SQLITE_BUSY, SQLITE_LOCKED: return DatabaseError(.conflict, "SQLite: \(message)")
    case SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL, SQLITE_CORRUPT, SQLITE_NOTADB:
      return DatabaseError(.connection, "SQLite: \(message)")
    default: return DatabaseError(.statement, "SQLite: \(message)")
    }
  }

  struct PreparedStatement {
    let statement: OpaquePointer
    /// For each positional parameter, the zero-based index of the value it takes.
    let order: [Int]
    /// The number of values a call must pass (the highest `$N`).
    let valuesNeeded: Int
    /// Kept in the cache; otherwise finalized after its one use.
    let cached: Bool
  }

  /// The cached statement for `sql`, its `$N` rewritten to positional `?` unless `rewriting` is
  /// false (SQL written with `?N` by this type); one for a single use once the cache is full,
  /// unless `alwaysCached` (a bulk writer's, which outlives the call).
  private func prepared(
    _ sql: String, parameterCount: Int, rewriting: Bool = true, alwaysCached: Bool = false
  ) throws -> PreparedStatement {
    if let cached = statementCache[sql] { return cached }
    var text = sql
    var order: [Int] = []
    if rewriting {
      let markers = try ParameterMarkers(
        rewriting: sql, parameterCount: parameterCount, syntax: .of(.sqlite))
      text = markers.sql
      order = markers.order
    }
    let caching = alwaysCached || statementCache.count < Self.statementCacheCapacity
    var statement: OpaquePointer?
    let status = sqlite3_prepare_v3(
      handle, text, -1, caching ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &statement, nil)
    guard status == SQLITE_OK, let statement else {
      throw error(status, "\(lastErrorMessage) in: \(sql.prefix(300))")
    }
    let prepared = PreparedStatement(
      statement: statement, order: order, valuesNeeded: (order.max() ?? -1) + 1, cached: caching)
    if caching { statementCache[sql] = prepared }
    return prepared
  }

  /// Readies a cached statement for its next use, or finalizes a single-use one.
  private func release(_ prepared: PreparedStatement) {
    if prepared.cached {
      sqlite3_reset(prepared.statement)
    } else {
      sqlite3_finalize(prepared.statement)
    }
  }

  private func bind(_ parameters: [SQLValue], to prepared: PreparedStatement) throws {
    let statement = prepared.statement
    sqlite3_clear_bindings(statement)
    guard prepared.valuesNeeded <= parameters.count else {
      throw DatabaseError(
        .usage,
        "SQLite: the statement uses $\(prepared.valuesNeeded) but \(parameters.count) parameter(s) were given"
      )
    }
    for (position, valueIndex) in prepared.order.enumerated() {
      let index = Int32(position + 1)
      let status: Int32
      switch parameters[valueIndex] {
      case .null: status = sqlite3_bind_null(statement, index)
      case .integer(let value): status = sqlite3_bind_int64(statement, index, value)
      case .real(let value): status = sqlite3_bind_double(statement, index, value)
      case .text(let value):
        status = sqlite3_bind_text(statement, index, value, -1, sqliteTransient)
      }
      if status != SQLITE_OK { throw error(status, lastErrorMessage) }
    }
  }
}

/// SQLite's SQLITE_TRANSIENT: the library copies the bytes before the call returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
