import Foundation
import Testing

@testable import Store

/// A driver unixODBC cannot load is named in the error, with how to get one and how to choose
/// it. Driver names below are made up, so these run whatever drivers a machine has; no SQL
/// Server is needed or contacted.
struct ODBCMissingDriverTests {
  @Test func aSQLServerDriverThatIsNotInstalledIsNamedWithTheWaysToGetOne() throws {
    let options = SQLServerOptions(
      host: "127.0.0.1", port: 1, user: "sa", password: "not-a-real-secret", database: "lms",
      driver: "ODBC Driver 99 for SQL Server")
    let error = try #require(throws: DatabaseError.self) {
      _ = try DatabaseConnector.open(.sqlserver(options))
    }
    let message = error.description
    #expect(message.contains("the ODBC driver 'ODBC Driver 99 for SQL Server' is not installed"))
    for advice in [
      "Microsoft ODBC Driver 18 for SQL Server", "msodbcsql18", "ODBC Driver 17", "msodbcsql17",
      "FreeTDS", "tdsodbc", "?driver=FreeTDS", "DATABASE_URL", "odbcinst -q -d",
    ] {
      #expect(message.contains(advice), "\(advice): \(message)")
    }
    #expect(!message.contains("not-a-real-secret"))
    // A missing driver does not come back by waiting: nothing should retry it.
    #expect(error.kind == .usage)
  }

  @Test func anotherDriverThatIsNotInstalledIsNamedWithoutSQLServerAdvice() throws {
    let error = try #require(throws: DatabaseError.self) {
      _ = try ODBCConnection(connectionString: "Driver={No Such Driver};Server=127.0.0.1;")
    }
    #expect(error.description.contains("the ODBC driver 'No Such Driver' is not installed"))
    #expect(!error.description.contains("msodbcsql18"))
    #expect(error.kind == .usage)
  }

  @Test func theDriverIsReadFromTheConnectionString() {
    let cases: [(String, String?)] = [
      ("Driver={ODBC Driver 18 for SQL Server};Server=h;", "ODBC Driver 18 for SQL Server"),
      ("Server=h; DRIVER = FreeTDS ;Port=1433", "FreeTDS"),
      ("Driver={Odd}}Name};Pwd={x;y}", "Odd}Name"),
      ("DSN=lms;Uid=u", nil),
    ]
    for (text, driver) in cases {
      #expect(ODBCMissingDriver.driver(in: ODBCConnectionString(text)) == driver, "\(text)")
    }
  }

  @Test func aRegisteredDriverWhoseLibraryIsMissingCountsAsMissing() {
    // What unixODBC reports when odbcinst.ini lists the driver but its .so is gone.
    let cantOpen = ODBCDiagnostics.Record(
      sqlState: "01000", nativeError: 0,
      message:
        "[unixODBC][Driver Manager]Can't open lib 'ODBC Driver 18 for SQL Server' : file not found"
    )
    let refused = ODBCDiagnostics.Record(
      sqlState: "08001", nativeError: 0, message: "could not connect to server")
    #expect(ODBCMissingDriver.isMissingDriver([cantOpen]))
    #expect(!ODBCMissingDriver.isMissingDriver([refused]))
  }
}
