import Foundation
import Testing

@testable import Store

/// A CI run that lost its server must fail rather than skip the ODBC suite.
@Test func odbcServerIsProvidedInCI() {
  guard ProcessInfo.processInfo.environment["CI"] != nil else { return }
  #expect(
    ODBCTestServer.isAvailable,
    "CI is set but LMSDS_TEST_POSTGRES_URL is missing or unusable: run through scripts/with-postgres.sh"
  )
}

@Suite(
  .enabled(
    if: ODBCTestServer.isAvailable,
    "needs LMSDS_TEST_POSTGRES_URL (scripts/with-postgres.sh swift test)"))
struct ODBCConnectionTests {
  @Test func connectsAndDetectsTheDialect() throws {
    let connection = try ODBCTestServer.connect()
    #expect(connection.dialect == .postgresql)
    #expect(connection.dbmsName == "PostgreSQL")
    #expect(connection.driverName.contains("psqlodbc"))
    #expect(!connection.redactedConnectionString.contains(ODBCTestServer.password))
    #expect(connection.redactedConnectionString.contains("Pwd=***"))
    let row = try #require(try connection.query("SELECT current_user, current_database()").first)
    #expect(row.text(0) == PostgresTestServer.options.user)
    #expect(row.text(1) == PostgresTestServer.options.database)
  }

  @Test func wrongPasswordFailsWithoutShowingIt() throws {
    let secret = "not-the-password-\(UInt32.random(in: 1000...9999))"
    let error = try #require(throws: DatabaseError.self) {
      try ODBCConnection(connectionString: ODBCTestServer.connectionString(password: secret))
    }
    #expect(error.kind == .connection)
    #expect(error.sqlState?.count == 5)
    #expect(error.sqlState?.hasPrefix("08") == true)
    #expect(!error.description.contains(secret))
    #expect(!"\(error)".contains(secret))
    #expect(error.message.contains("password authentication failed"))
    #expect(error.message.contains("Pwd=***"))
  }

  @Test func parametersOfEachTypeRoundTrip() throws {
    let connection = try ODBCTestServer.connect()
    let text = "héllo 'quoted' \"double\" back\\slash\ttab\nline\rcr"
    let row = try #require(
      try connection.query(
        "SELECT $1::bigint, $2::bigint, $3::float8, $4::text, $5::text, $6::int4, $7::numeric, $8::text",
        [
          .integer(.max), .integer(.min), .real(-1.25e-300), .text(text), .null, .integer(-42),
          .text("2.5"), .text(""),
        ]
      ).first)
    #expect(
      row.values == [
        .integer(.max), .integer(.min), .real(-1.25e-300), .text(text), .null, .integer(-42),
        .real(2.5), .text(""),
      ])
  }

  @Test func aParameterUsedTwiceAndDollarsInLiterals() throws {
    let connection = try ODBCTestServer.connect()
    let row = try #require(
      try connection.query(
        """
        SELECT $2::text || '-' || $1::text || '-' || $2::text, '$1 costs $2', "?column?" -- $1 ?
        FROM (SELECT 1 AS "?column?") AS t /* $2 ? */ WHERE $1::int = 7 AND $$a $1 ?$$ <> ''
        """,
        [.integer(7), .text("x")]
      ).first)
    #expect(row.values == [.text("x-7-x"), .text("$1 costs $2"), .integer(1)])
  }

  @Test func nullParametersMeetTypedColumns() throws {
    let connection = try ODBCTestServer.connect()
    try connection.executeScript(
      "CREATE TEMP TABLE typed_nulls (id bigint, amount float8, label text, at timestamptz)")
    try connection.execute(
      "INSERT INTO typed_nulls VALUES ($1, $2, $3, $4)", [.null, .null, .null, .null])
    try connection.execute(
      "INSERT INTO typed_nulls VALUES ($1, $2, $3, $4)",
      [.integer(5), .real(0.5), .text("five"), .text("2024-01-02 03:04:05+00")])
    let rows = try connection.query(
      "SELECT id, amount, label, at = TIMESTAMPTZ '2024-01-02 03:04:05+00' FROM typed_nulls ORDER BY id NULLS FIRST"
    )
    #expect(
      rows.map(\.values) == [
        [.null, .null, .null, .null], [.integer(5), .real(0.5), .text("five"), .text("1")],
      ])
  }

  @Test func unicodeRoundTrips() throws {
    let connection = try ODBCTestServer.connect()
    let samples = [
      "àéîõü çÇ ß", "日本語のテキスト 中文", "emoji 🎉👩‍👩‍👧 🌍", String(repeating: "ü日🎉x", count: 1250),
      "\u{1F600}", "",
    ]
    try connection.executeScript("CREATE TEMP TABLE wide (id int, label text, short varchar(20))")
    for (id, sample) in samples.enumerated() {
      try connection.execute(
        "INSERT INTO wide VALUES ($1, $2, $3)",
        [.integer(Int64(id)), .text(sample), .text(String(sample.prefix(5)))])
      #expect(try connection.scalar("SELECT $1::text", [.text(sample)]) == .text(sample))
    }
    let rows = try connection.query("SELECT label, short, length(label) FROM wide ORDER BY id")
    #expect(rows.map { $0[0] } == samples.map(SQLValue.text))
    #expect(rows.map { $0[1] } == samples.map { .text(String($0.prefix(5))) })
    #expect(rows.map { $0[2] } == samples.map { .integer(Int64($0.unicodeScalars.count)) })
    #expect(samples[3].count == 5000)
    #expect(try connection.scalar("SELECT 'literal ünïcødé 🎉'") == .text("literal ünïcødé 🎉"))
  }

  @Test func resultTypes() throws {
    let connection = try ODBCTestServer.connect()
    let row = try #require(
      try connection.query(
        """
        SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.25::float8, 12345::numeric, 2.5::numeric(5,2),
               99999999999999999999::numeric, 'NaN'::float8, DATE '2024-02-29', NULL::int, 'x'::varchar,
               count(*), sum(x), sum(x::bigint)
        FROM (VALUES (1), (2)) AS v(x)
        """
      ).first)
    #expect(
      Array(row.values[0..<8]) == [
        .integer(1), .integer(2), .integer(3), .real(1.5), .real(2.25), .integer(12345), .real(2.5),
        .real(1e20),
      ])
    if case .real(let value) = row[8] {
      #expect(value.isNaN)
    } else {
      Issue.record("NaN: \(row[8])")
    }
    #expect(
      Array(row.values[9...]) == [
        .text("2024-02-29"), .null, .text("x"), .integer(2), .integer(3), .integer(3),
      ])
  }

  @Test func executeReportsAffectedRows() throws {
    let connection = try ODBCTestServer.connect()
    #expect(try connection.execute("CREATE TEMP TABLE counted (n int)") == 0)
    #expect(try connection.execute("INSERT INTO counted SELECT generate_series(1, 5)") == 5)
    #expect(
      try connection.execute("UPDATE counted SET n = n * 10 WHERE n > $1", [.integer(3)]) == 2)
    #expect(try connection.execute("DELETE FROM counted WHERE n < $1", [.integer(40)]) == 3)
    #expect(try connection.execute("DELETE FROM counted WHERE false") == 0)
    #expect(try connection.execute("UPDATE counted SET n = $1 WHERE false", [.integer(1)]) == 0)
    #expect(try connection.scalar("SELECT count(*) FROM counted") == .integer(2))
  }

  @Test func scriptsRunSeveralStatements() throws {
    let connection = try ODBCTestServer.connect()
    try connection.executeScript(
      """
      CREATE TEMP TABLE scripted (n int, note text);
      INSERT INTO scripted VALUES (1, 'a;b'), (2, $$c;d$$);
      INSERT INTO scripted VALUES (3, 'it''s; fine');
      """)
    #expect(try connection.scalar("SELECT count(*) FROM scripted") == .integer(3))
    let later = try #require(throws: DatabaseError.self) {
      try connection.executeScript("SELECT 1; SELEC 2")
    }
    #expect(later.sqlState == "42601")
  }

  @Test func failuresCarryTheirSQLState() throws {
    let connection = try ODBCTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE unique_things (id int PRIMARY KEY)")
    try connection.execute("INSERT INTO unique_things VALUES ($1)", [.integer(1)])
    let duplicate = try #require(throws: DatabaseError.self) {
      try connection.execute("INSERT INTO unique_things VALUES ($1)", [.integer(1)])
    }
    #expect(duplicate.sqlState == "23505")
    #expect(duplicate.kind == .statement)
    #expect(duplicate.message.contains("unique_things_pkey"))

    let syntax = try #require(throws: DatabaseError.self) { try connection.execute("SELEC 1") }
    #expect(syntax.sqlState == "42601")
    #expect(syntax.kind == .statement)

    let misuse = try #require(throws: DatabaseError.self) {
      try connection.query("SELECT $2::int", [.integer(1)])
    }
    #expect(misuse.kind == .usage)
    #expect(try connection.scalar("SELECT 1") == .integer(1))
  }

  @Test func rollbackLeavesNothingAndCommitKeeps() throws {
    let connection = try ODBCTestServer.connect()
    let other = try ODBCTestServer.connect()
    try connection.executeScript("CREATE TABLE IF NOT EXISTS odbc_tx (n int)")
    try connection.executeScript("DELETE FROM odbc_tx")
    try connection.begin()
    #expect(connection.isInTransaction)
    try connection.execute("INSERT INTO odbc_tx VALUES ($1), ($2)", [.integer(1), .integer(2)])
    #expect(try other.scalar("SELECT count(*) FROM odbc_tx") == .integer(0))
    try connection.rollback()
    #expect(!connection.isInTransaction)
    #expect(try connection.scalar("SELECT count(*) FROM odbc_tx") == .integer(0))

    try connection.transaction {
      _ = try connection.execute("INSERT INTO odbc_tx VALUES ($1)", [.integer(3)])
    }
    #expect(try other.scalar("SELECT count(*) FROM odbc_tx") == .integer(1))

    #expect(throws: DatabaseError.self) {
      try connection.transaction {
        try connection.execute("INSERT INTO odbc_tx VALUES ($1)", [.integer(4)])
        _ = try connection.execute("INSERT INTO odbc_tx VALUES ('not a number')")
      }
    }
    #expect(!connection.isInTransaction)
    #expect(try other.scalar("SELECT sum(n) FROM odbc_tx") == .integer(3))
    // Back in autocommit: a plain statement is visible to others at once.
    try connection.execute("INSERT INTO odbc_tx VALUES ($1)", [.integer(5)])
    #expect(try other.scalar("SELECT sum(n) FROM odbc_tx") == .integer(8))
    try connection.executeScript("DROP TABLE odbc_tx")
  }
}
