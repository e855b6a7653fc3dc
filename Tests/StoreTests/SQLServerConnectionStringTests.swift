import Store
import Testing

@Suite struct SQLServerConnectionStringTests {
  @Test func microsoftDriverWithPasswordAndEncryption() {
    let text = SQLServerConnectionString.make(
      SQLServerOptions(
        host: "db.example.org", port: 1433, user: "loader", password: "p;w}d", database: "lms_ods",
        encrypt: true, trustServerCertificate: false))
    #expect(
      text
        == "Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.example.org,1433;Database=lms_ods;UID=loader;PWD={p;w}}d};Encrypt=yes;TrustServerCertificate=no;APP=lmsds;"
    )
  }

  @Test func integratedSecurityHasNoPassword() {
    let text = SQLServerConnectionString.make(
      SQLServerOptions(host: "sql1", user: "ignored", password: "secret", integratedSecurity: true))
    #expect(text.contains("Trusted_Connection=yes"))
    #expect(!text.contains("secret"))
  }

  @Test func freeTDSUsesItsOwnKeywords() {
    let text = SQLServerConnectionString.make(
      SQLServerOptions(
        host: "sql1", port: 14330, user: "u", password: "p", driver: "FreeTDS", encrypt: true))
    #expect(text.hasPrefix("Driver={FreeTDS};Server=sql1;Port=14330;TDS_Version=7.4;"))
    #expect(!text.contains("Encrypt"))
  }
}
