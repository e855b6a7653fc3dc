import Foundation

/// Advice for a connection string whose driver unixODBC cannot load. The driver manager's own
/// words ("Data source name not found and no default driver specified", "Can't open lib …")
/// tell a reader neither which driver was asked for nor how to get one, and SQL Server is the
/// Ed-Fi loader's default engine: the first thing many users meet.
enum ODBCMissingDriver {
  /// The `Driver` keyword's value, without braces; nil for a DSN-only string.
  static func driver(in connectionString: ODBCConnectionString) -> String? {
    let text = connectionString.text
    let named = ODBCConnectionString.pairs(in: text).last {
      $0.keyword.lowercased() == "driver"
    }
    guard let named else { return nil }
    var value = String(text[named.valueRange]).trimmingCharacters(in: .whitespaces)
    if value.count >= 2, value.first == "{", value.last == "}" {
      value = String(value.dropFirst().dropLast()).replacing("}}", with: "}")
    }
    return value.isEmpty ? nil : value
  }

  /// True when the records say the driver could not be found or loaded, rather than that the
  /// server refused: IM002 when no driver of that name is registered, "Can't open lib" (with
  /// 01000) when it is registered but its library is missing.
  static func isMissingDriver(_ records: [ODBCDiagnostics.Record]) -> Bool {
    records.contains { record in
      record.sqlState == "IM002" || record.message.contains("Can't open lib")
    }
  }

  static func advice(driver: String) -> String {
    let lowered = driver.lowercased()
    let general =
      "the ODBC driver '\(driver)' is not installed here (`odbcinst -q -d` lists the drivers "
      + "unixODBC knows)."
    guard lowered.contains("sql server") || lowered.contains("freetds") else {
      return general + " Install it, or name an installed one in the connection string."
    }
    return general
      + " To reach SQL Server install one of: Microsoft ODBC Driver 18 for SQL Server "
      + "(package msodbcsql18 from Microsoft's package repository, "
      + "https://learn.microsoft.com/sql/connect/odbc/linux-mac/installing-the-microsoft-odbc-driver-for-sql-server), "
      + "Microsoft ODBC Driver 17 for SQL Server (msodbcsql17), or FreeTDS (Debian: "
      + "apt-get install tdsodbc). Then choose it with the driver option of the database URL "
      + "(--database or DATABASE_URL), e.g. mssql://USER@HOST:1433/DB?driver=FreeTDS or "
      + "?driver=ODBC%20Driver%2017%20for%20SQL%20Server; without it lmsds asks for "
      + "'\(SQLServerConnectionString.defaultDriver)'."
  }
}
