/// Opens a session on the database a location names.
public enum DatabaseConnector {
  public static func open(_ location: DatabaseLocation) throws -> any SQLConnection {
    switch location {
    case .postgresql(let options):
      return try PostgresConnection(options)
    case .sqlite(let path):
      return try SQLiteConnection(path: path)
    case .sqlserver(let options):
      return try ODBCConnection(connectionString: SQLServerConnectionString.make(options))
    case .odbc(let connectionString):
      // The dialect comes from what the driver reports (SQL_DBMS_NAME), so PostgreSQL reached
      // through ODBC is merged as PostgreSQL.
      return try ODBCConnection(connectionString: connectionString)
    }
  }
}
