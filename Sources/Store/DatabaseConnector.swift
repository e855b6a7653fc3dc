/// Opens a session on the database a location names.
public enum DatabaseConnector {
  public static func open(_ location: DatabaseLocation) throws -> any SQLConnection {
    switch location {
    case .postgresql(let options):
      return try PostgresConnection(options)
    case .sqlite(let path):
      return try SQLiteConnection(path: path)
    case .sqlserver, .odbc:
      throw DatabaseError(
        .usage,
        "this build reaches PostgreSQL (postgresql://) and SQLite (sqlite:PATH); SQL Server and ODBC are not available yet"
      )
    }
  }
}
