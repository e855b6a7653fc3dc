/// A PostgreSQL session over libpq. Values travel in text format; bulk loads use `COPY … FROM STDIN`.
///
/// Not shared between tasks, like every `SQLConnection`.
public final class PostgresConnection: SQLConnection {
  public let dialect = SQLDialect.postgresql
  public let options: PostgresConnectionOptions
  let session: LibPQConnection
  /// The COPY in progress, if any: the session accepts nothing else until it ends.
  weak var activeCopy: PostgresCopyWriter?
  private var preparedStatements = PreparedStatementCache()
  /// Column types by table (as `makeBulkWriter` was given it, lowercased) and column name.
  private var copyColumnTypes: [String: [String: Int64]] = [:]
  /// Set by this session's canceller; the COPY in progress stops at its next flush.
  let cancelRequest = CancelRequest()

  /// Statements with parameters are prepared once per session and reused. Turn off behind a
  /// pooler that does not keep sessions (PgBouncer in transaction mode before 1.21).
  public var usesPreparedStatements = true

  /// Connects at once. Server notices (`NOTICE: table does not exist, skipping`…) go to
  /// `onNotice`, or nowhere.
  public init(_ options: PostgresConnectionOptions, onNotice: ((String) -> Void)? = nil) throws {
    self.options = options
    do {
      session = try LibPQConnection(parameters: options.libpqParameters)
    } catch {
      throw DatabaseError(
        .connection,
        "cannot connect to PostgreSQL at \(options.endpointDescription): "
          + Self.redacting(options.password, in: error.message))
    }
    session.noticeHandler = onNotice
  }

  public var onNotice: ((String) -> Void)? {
    get { session.noticeHandler }
    set { session.noticeHandler = newValue }
  }

  public func makeStatementCanceller() -> (any StatementCanceller)? {
    session.makeCanceller(request: cancelRequest)
  }

  /// False once the server or the network dropped the session; `reset()` then reconnects.
  public var isConnected: Bool { session.isConnected }

  /// True inside BEGIN … COMMIT, including a transaction a failed statement has aborted.
  public var isInTransaction: Bool { session.isInTransaction }

  /// Reconnects with the same options, e.g. after a server restart. Whatever the old session
  /// held (transaction, temporary tables, session locks) is gone.
  public func reset() throws {
    abandonCopy()
    preparedStatements.removeAll()
    copyColumnTypes.removeAll()
    guard session.reset() else {
      throw DatabaseError(
        .connection,
        "cannot reconnect to PostgreSQL at \(options.endpointDescription): "
          + Self.redacting(options.password, in: session.errorMessage))
    }
  }

  public func executeScript(_ sql: String) throws {
    abandonCopy()
    _ = try checked(session.exec(sql), sql: sql)
  }

  @discardableResult
  public func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
    try run(sql, parameters).affectedRows
  }

  public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
    let result = try run(sql, parameters)
    let columnCount = result.columnCount
    let types = (0..<columnCount).map(result.columnType)
    var rows: [SQLRow] = []
    rows.reserveCapacity(result.rowCount)
    for row in 0..<result.rowCount {
      var values: [SQLValue] = []
      values.reserveCapacity(columnCount)
      for column in 0..<columnCount {
        values.append(
          PostgresValueDecoding.value(
            type: types[column], bytes: result.bytes(row: row, column: column)))
      }
      rows.append(SQLRow(values))
    }
    return rows
  }

  /// Starts `COPY table (columns) FROM STDIN`. Names are used as given: quote them beforehand
  /// where they need it.
  public func makeBulkWriter(table: String, columns: [String]) throws -> any BulkRowWriter {
    guard !columns.isEmpty else {
      throw DatabaseError(.usage, "PostgreSQL: a bulk load into \(table) needs at least one column")
    }
    abandonCopy()
    let binary = try binaryCopyColumns(table: table, columns: columns)
    let sql =
      "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
      + (binary == nil ? "" : " WITH (FORMAT binary)")
    let result = session.exec(sql)
    guard let result, result.status == .copyIn else {
      throw PostgresErrorClassification.error(from: result, connection: session, context: sql)
    }
    let writer = PostgresCopyWriter(
      connection: self, table: table, columnNames: columns, columns: binary)
    activeCopy = writer
    return writer
  }

  /// Each column's binary form, from the table's catalog entry (read once per table and session);
  /// nil when a column is not found or has a type without one: the COPY then goes as text.
  private func binaryCopyColumns(table: String, columns: [String]) throws -> [PostgresCopyColumn]? {
    let key = table.lowercased()
    var types = copyColumnTypes[key] ?? [:]
    if columns.contains(where: { types[$0.lowercased()] == nil }) {
      types = [:]
      let rows = try query(
        """
        SELECT attname, CAST(atttypid AS bigint) FROM pg_attribute \
        WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped
        """, [.text(table)])
      for row in rows {
        if let name = row.text(0), let type = row.int(1) { types[name] = type }
      }
      copyColumnTypes[key] = types
    }
    var kinds: [PostgresCopyColumn] = []
    for column in columns {
      guard let type = types[column.lowercased()], let kind = PostgresCopyColumn(typeOID: type)
      else { return nil }
      kinds.append(kind)
    }
    return kinds
  }

  public func begin() throws {
    cancelRequest.clear()
    try executeScript("BEGIN")
  }

  /// PostgreSQL answers COMMIT of a transaction that a failed statement aborted with a
  /// successful ROLLBACK; that must not pass for a commit.
  public func commit() throws {
    abandonCopy()
    let result = try checked(session.exec("COMMIT"), sql: "COMMIT")
    if result.commandStatus == "ROLLBACK" {
      throw DatabaseError(
        .statement, "PostgreSQL: COMMIT rolled back a transaction that had already failed",
        sqlState: "25P02")
    }
  }

  public func rollback() throws { try executeScript("ROLLBACK") }

  // MARK: - Internals

  private func run(_ sql: String, _ parameters: [SQLValue]) throws -> LibPQResult {
    abandonCopy()
    let encoded = try LibPQParameters(parameters)
    guard usesPreparedStatements, !parameters.isEmpty else {
      return try checked(session.exec(sql, parameters: encoded), sql: sql)
    }
    if let name = preparedStatements.name(for: sql) {
      do {
        return try checked(session.execPrepared(name: name, parameters: encoded), sql: sql)
      } catch let error as DatabaseError where Self.invalidatesPreparedStatement(error) {
        // A table changed shape under a cached `SELECT *`, or the session ran DEALLOCATE.
        // Outside a transaction nothing was lost: prepare again. Inside, the transaction is
        // aborted and only the caller can decide to retry it.
        preparedStatements.forget(sql)
        if session.isInTransaction { throw error }
      }
    }
    guard let name = preparedStatements.newName() else {
      return try checked(session.exec(sql, parameters: encoded), sql: sql)
    }
    _ = try checked(session.prepare(name: name, sql: sql), sql: sql)
    preparedStatements.store(name, for: sql)
    return try checked(session.execPrepared(name: name, parameters: encoded), sql: sql)
  }

  /// `cached plan must not change result type` (0A000) and `prepared statement does not exist` (26000).
  private static func invalidatesPreparedStatement(_ error: DatabaseError) -> Bool {
    error.sqlState == "0A000" || error.sqlState == "26000"
  }

  private func checked(_ result: LibPQResult?, sql: String) throws -> LibPQResult {
    guard let result else {
      throw PostgresErrorClassification.error(
        from: nil, connection: session, context: String(sql.prefix(300)))
    }
    switch result.status {
    case .commandOK, .tuplesOK, .emptyQuery:
      return result
    case .copyIn:
      // A COPY FROM STDIN sent as a plain statement would leave the session waiting for data.
      cancelCopy(reason: "COPY FROM STDIN must go through makeBulkWriter")
      throw DatabaseError(.usage, "PostgreSQL: COPY FROM STDIN must go through makeBulkWriter")
    case .failed, .other:
      throw PostgresErrorClassification.error(
        from: result, connection: session, context: String(sql.prefix(300)))
    }
  }

  /// Ends a COPY the caller gave up on, so the session is usable again (for ROLLBACK first).
  func abandonCopy() {
    activeCopy?.abandon()
    activeCopy = nil
  }

  /// Makes the server fail the COPY in progress and reads the results up to the end.
  func cancelCopy(reason: String) {
    guard session.putCopyEnd(failure: reason) else { return }
    drainResults()
  }

  /// Reads the rest of the current command's results, returning the first failure among them.
  @discardableResult
  func drainResults() -> (failure: LibPQResult?, lastSuccess: LibPQResult?) {
    var failure: LibPQResult?
    var lastSuccess: LibPQResult?
    while let result = session.nextResult() {
      switch result.status {
      case .commandOK, .tuplesOK, .emptyQuery:
        lastSuccess = result
      case .copyIn:
        // Still expecting data, so PQgetResult would return this forever: refuse it.
        guard session.putCopyEnd(failure: "unexpected COPY") else { return (failure, lastSuccess) }
      case .failed, .other:
        if failure == nil { failure = result }
      }
    }
    return (failure, lastSuccess)
  }

  /// libpq's messages do not repeat the password, but a message is no place to find out.
  static func redacting(_ password: String?, in message: String) -> String {
    guard let password, password.count >= 3 else { return message }
    return message.replacing(password, with: "***")
  }
}
