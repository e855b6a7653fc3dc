import CODBC

/// Reads a statement's current result set into rows, choosing how to fetch each column from the
/// type the driver describes.
enum ODBCRowReader {
  private enum Fetch { case integer, real, decimal, text }

  static func rows(of statement: ODBCStatement) throws(DatabaseError) -> [SQLRow] {
    let fetches = try statement.columns().map { fetch(for: $0) }
    guard !fetches.isEmpty else { return [] }
    var rows: [SQLRow] = []
    while try statement.fetch() {
      var values: [SQLValue] = []
      values.reserveCapacity(fetches.count)
      for (column, fetch) in fetches.enumerated() {
        values.append(try value(statement, column: column, fetch: fetch))
      }
      rows.append(SQLRow(values))
    }
    return rows
  }

  private static func fetch(for column: ODBCStatement.Column) -> Fetch {
    switch column.sqlType {
    case SQL_BIT, SQL_TINYINT, SQL_SMALLINT, SQL_INTEGER, SQL_BIGINT:
      return .integer
    case SQL_REAL, SQL_FLOAT, SQL_DOUBLE:
      return .real
    case SQL_NUMERIC, SQL_DECIMAL:
      return .decimal
    default:
      return .text
    }
  }

  private static func value(
    _ statement: ODBCStatement, column: Int, fetch: Fetch
  ) throws(DatabaseError) -> SQLValue {
    switch fetch {
    case .integer:
      return try statement.integer(column: column).map(SQLValue.integer) ?? .null
    case .real:
      return try statement.double(column: column).map(SQLValue.real) ?? .null
    case .decimal:
      // Read as text so that no digit is lost on the way; sums and counts over integer columns
      // come back as decimals and stay integers, as on the other drivers.
      guard let text = try statement.text(column: column, chunkUnits: 64) else { return .null }
      if let number = Int64(text) { return .integer(number) }
      if let number = Double(text) {
        if number.rounded() == number, let whole = Int64(exactly: number) { return .integer(whole) }
        return .real(number)
      }
      return .text(text)
    case .text:
      return try statement.text(column: column).map(SQLValue.text) ?? .null
    }
  }
}
