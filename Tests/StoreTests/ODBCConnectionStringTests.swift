import Testing

@testable import Store

struct ODBCConnectionStringTests {
  @Test func passwordsAreMaskedInTheStringAndInMessages() {
    let string = ODBCConnectionString(
      "Driver={ODBC Driver 18 for SQL Server};Server=db,1433;UID=loader;PWD={s3cr;et}}x};Encrypt=yes"
    )
    #expect(
      string.redacted
        == "Driver={ODBC Driver 18 for SQL Server};Server=db,1433;UID=loader;PWD=***;Encrypt=yes")
    #expect(string.redacting("login failed: s3cr;et}x rejected") == "login failed: *** rejected")
    #expect(string.redacting("echo: Pwd = hunter2; Uid=x") == "echo: Pwd = ***; Uid=x")
  }

  @Test func eitherKeywordInAnyCase() {
    let string = ODBCConnectionString("Server=x;password=abc123;Database=d")
    #expect(string.redacted == "Server=x;password=***;Database=d")
    #expect(!string.redacting("bad abc123").contains("abc123"))
    #expect(ODBCConnectionString("Server=x;Uid=pwdless").redacted == "Server=x;Uid=pwdless")
  }

  @Test func dialectFromTheDBMSName() {
    #expect(ODBCConnection.dialect(dbmsName: "Microsoft SQL Server") == .sqlserver)
    #expect(ODBCConnection.dialect(dbmsName: "PostgreSQL") == .postgresql)
    #expect(ODBCConnection.dialect(dbmsName: "Oracle") == nil)
  }
}
