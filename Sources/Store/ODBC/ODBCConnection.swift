import CODBC

/// A database session through unixODBC: SQL Server in production, PostgreSQL's ODBC driver in
/// tests. Text travels as UTF-16 both ways; parameters are bound by type; bulk loads use
/// parameter arrays.
///
/// Autocommit is on except between `begin()` and `commit()`/`rollback()`. Not shared between
/// tasks, like every `SQLConnection`.
public final class ODBCConnection: SQLConnection {
  public let dialect: SQLDialect
  /// What the driver calls the database product (SQL_DBMS_NAME), e.g. `Microsoft SQL Server`.
  public let dbmsName: String
  /// The driver's file name (SQL_DRIVER_NAME), e.g. `psqlodbcw.so`, `libmsodbcsql-18.so`.
  public let driverName: String
  /// Rows sent per execution by bulk writers made from now on (at least 1).
  public var bulkArraySize: Int = 1000 {
    didSet { bulkArraySize = max(1, bulkArraySize) }
  }
  /// True between `begin()` and the end of the transaction.
  public private(set) var isInTransaction = false

  private let session: ODBCSession
  private let markerSyntax: ParameterMarkers.Syntax

  /// Connects at once with an ODBC connection string such as
  /// `Driver={ODBC Driver 18 for SQL Server};Server=host,1433;Database=db;Uid=u;Pwd=p;`.
  /// Errors show the string with its password masked.
  public init(connectionString: String, loginTimeoutSeconds: Int? = 30) throws {
    let connectionString = ODBCConnectionString(connectionString)
    session = try ODBCSession(environment: ODBCEnvironment(), connectionString: connectionString)
    try session.connect(loginTimeoutSeconds: loginTimeoutSeconds)
    dbmsName = try session.info(SQL_DBMS_NAME)
    driverName = try session.info(SQL_DRIVER_NAME)
    guard let dialect = Self.dialect(dbmsName: dbmsName) else {
      throw DatabaseError(
        .usage, "ODBC: \(dbmsName) (driver \(driverName)) is not a database lmsds can load into")
    }
    self.dialect = dialect
    markerSyntax = .of(dialect)
  }

  /// The connection string with its password masked, for logs.
  public var redactedConnectionString: String { session.connectionString.redacted }

  static func dialect(dbmsName: String) -> SQLDialect? {
    switch dbmsName {
    case "Microsoft SQL Server": return .sqlserver
    case "PostgreSQL": return .postgresql
    case "SQLite": return .sqlite
    default: return nil
    }
  }

  // MARK: - Statements

  /// Sends the whole text in one call and reads every result, so the failure of any statement
  /// in it is reported.
  public func executeScript(_ sql: String) throws {
    let statement = try ODBCStatement(session: session)
    try statement.execDirect(sql)
    try statement.drainResults()
  }

  @discardableResult
  public func execute(_ sql: String, _ parameters: [SQLValue]) throws -> Int {
    try run(sql, parameters) { statement throws(DatabaseError) in
      let count = try statement.rowCount()
      try statement.drainResults()
      return count
    } ifNoData: {
      0
    }
  }

  public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [SQLRow] {
    try run(sql, parameters) { statement throws(DatabaseError) in
      let rows = try ODBCRowReader.rows(of: statement)
      try statement.drainResults()
      return rows
    } ifNoData: {
      []
    }
  }

  /// Prepares `INSERT INTO table (columns) VALUES (?, …)` sent `bulkArraySize` rows at a time.
  /// Names are used as given: quote them beforehand where they need it.
  public func makeBulkWriter(table: String, columns: [String]) throws -> any BulkRowWriter {
    guard !columns.isEmpty else {
      throw DatabaseError(.usage, "ODBC: a bulk load into \(table) needs at least one column")
    }
    return try ODBCBulkWriter(
      session: session, table: table, columns: columns, arraySize: bulkArraySize)
  }

  // MARK: - Transactions

  public func begin() throws {
    guard !isInTransaction else {
      throw DatabaseError(.usage, "ODBC: begin() inside a transaction that is still open")
    }
    try session.setAutocommit(false)
    isInTransaction = true
  }

  public func commit() throws { try endTransaction(commit: true) }

  public func rollback() throws { try endTransaction(commit: false) }

  /// Autocommit comes back on only once the transaction has ended: turning it on first would
  /// commit what a rollback was meant to undo. After a failed end the transaction stays open for
  /// the caller's rollback.
  private func endTransaction(commit: Bool) throws {
    guard isInTransaction else { return }
    try session.endTransaction(commit: commit)
    isInTransaction = false
    try session.setAutocommit(true)
  }

  // MARK: - Internals

  /// Executes `sql` with its `$N` parameters bound, then hands the statement to `read`.
  private func run<Result>(
    _ sql: String, _ parameters: [SQLValue],
    read: (ODBCStatement) throws(DatabaseError) -> Result,
    ifNoData: () -> Result
  ) throws(DatabaseError) -> Result {
    let statement = try ODBCStatement(session: session)
    guard !parameters.isEmpty else {
      guard try statement.execDirect(sql) else { return ifNoData() }
      return try read(statement)
    }
    let markers = try ParameterMarkers(
      rewriting: sql, parameterCount: parameters.count, syntax: markerSyntax)
    let arrays = markers.order.map { index in
      var column = ODBCParameterColumn()
      column.append(parameters[index])
      return column.makeArray()
    }
    defer {
      statement.unbindParameters()
      withExtendedLifetime(arrays) {}
    }
    for (position, array) in arrays.enumerated() {
      try statement.bind(position: position + 1, array)
    }
    guard try statement.execDirect(markers.sql) else { return ifNoData() }
    return try read(statement)
  }
}
