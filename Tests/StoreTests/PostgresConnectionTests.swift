import Foundation
import Testing

@testable import Store

/// Without a server the suite is skipped on a developer machine, but a CI run that lost its
/// server must not pass by testing nothing.
@Test func postgresServerIsProvidedInCI() {
  guard ProcessInfo.processInfo.environment["CI"] != nil else { return }
  #expect(
    PostgresTestServer.isAvailable,
    "CI is set but LMSDS_TEST_POSTGRES_URL is missing or unusable: run through scripts/with-postgres.sh"
  )
}

@Suite(
  .enabled(
    if: PostgresTestServer.isAvailable,
    "needs LMSDS_TEST_POSTGRES_URL (scripts/with-postgres.sh swift test)"))
struct PostgresConnectionTests {
  @Test func connectsAndNamesTheApplication() throws {
    let connection = try PostgresTestServer.connect()
    #expect(connection.isConnected)
    #expect(connection.dialect == .postgresql)
    let row = try #require(
      try connection.query(
        "SELECT current_user, current_setting('application_name'), current_setting('client_encoding')"
      ).first)
    #expect(row.text(0) == PostgresTestServer.options.user)
    #expect(row.text(1) == "lmsds")
    #expect(row.text(2) == "UTF8")
  }

  @Test func wrongPasswordFailsWithoutShowingIt() throws {
    var options = PostgresTestServer.options
    let secret = "not-the-password-\(UInt32.random(in: 1000...9999))"
    options.password = secret
    let error = try #require(throws: DatabaseError.self) { try PostgresConnection(options) }
    #expect(error.kind == .connection)
    #expect(!error.description.contains(secret))
    #expect(!"\(error)".contains(secret))
    #expect(error.message.contains(options.host))
    #expect(error.message.contains(String(options.port)))
    #expect(error.message.contains(options.database ?? "?"))
    #expect(error.message.contains("password authentication failed"))
  }

  @Test func parametersAndResultsRoundTrip() throws {
    let connection = try PostgresTestServer.connect()
    let text = "héllo 🌍 'quoted' \"double\" back\\slash\ttab\nline\rcr"
    let row = try #require(
      try connection.query(
        """
        SELECT $1::bigint, $2::bigint, $3::float8, $4::text, $5::text, $6::int4, $7::int2,
               $8::boolean, $9::numeric, $10::numeric, $11::float8, $12, $13::text
        """,
        [
          .integer(.max), .integer(.min), .real(-1.25e-300), .text(text), .null, .integer(-42),
          .integer(7), .text("true"), .integer(12_345), .text("2.5"), .real(.infinity),
          .text("untyped"), .text(""),
        ]
      ).first)
    #expect(
      row.values == [
        .integer(.max), .integer(.min), .real(-1.25e-300), .text(text), .null, .integer(-42),
        .integer(7), .integer(1), .integer(12_345), .real(2.5), .real(.infinity),
        .text("untyped"), .text(""),
      ])
    let other = try #require(
      try connection.query(
        "SELECT false, NULL::int, 'x'::varchar, DATE '2024-02-29', 99999999999999999999::numeric, 'NaN'::float8"
      ).first)
    #expect(other[0] == .integer(0))
    #expect(other[1] == .null)
    #expect(other[2] == .text("x"))
    #expect(other[3] == .text("2024-02-29"))
    #expect(other[4] == .real(1e20))
    if case .real(let value) = other[5] {
      #expect(value.isNaN)
    } else {
      Issue.record("NaN: \(other[5])")
    }
  }

  @Test func textParametersMeetTypedColumns() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript(
      "CREATE TEMP TABLE typed (id int PRIMARY KEY, at timestamptz, amount numeric(10,2), flag boolean)"
    )
    try connection.execute(
      "INSERT INTO typed VALUES ($1, $2, $3, $4)",
      [.text("12"), .text("2024-01-02 03:04:05+00"), .real(3.5), .text("f")])
    let row = try #require(
      try connection.query(
        "SELECT id, at = TIMESTAMPTZ '2024-01-02 03:04:05+00', amount, flag FROM typed WHERE id = $1",
        [.integer(12)]
      ).first)
    #expect(row.values == [.integer(12), .integer(1), .real(3.5), .integer(0)])
  }

  @Test func executeReportsAffectedRows() throws {
    let connection = try PostgresTestServer.connect()
    #expect(try connection.execute("CREATE TEMP TABLE counted (n int)") == 0)
    #expect(try connection.execute("INSERT INTO counted SELECT generate_series(1, 5)") == 5)
    #expect(
      try connection.execute("UPDATE counted SET n = n * 10 WHERE n > $1", [.integer(3)]) == 2)
    #expect(try connection.execute("DELETE FROM counted WHERE n < $1", [.integer(40)]) == 3)
    #expect(try connection.execute("DELETE FROM counted WHERE false") == 0)
    #expect(try connection.scalar("SELECT count(*) FROM counted") == .integer(2))
    #expect(try connection.scalar("SELECT sum(n) FROM counted") == .integer(90))
  }

  @Test func scriptsRunSeveralStatements() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript(
      """
      CREATE TEMP TABLE scripted (n int);
      INSERT INTO scripted VALUES (1), (2);
      INSERT INTO scripted VALUES (3);
      """)
    #expect(try connection.scalar("SELECT count(*) FROM scripted") == .integer(3))
  }

  @Test func failuresCarryTheirSQLState() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE unique_things (id int PRIMARY KEY)")
    try connection.execute("INSERT INTO unique_things VALUES ($1)", [.integer(1)])
    let duplicate = try #require(throws: DatabaseError.self) {
      try connection.execute("INSERT INTO unique_things VALUES ($1)", [.integer(1)])
    }
    #expect(duplicate.sqlState == "23505")
    #expect(duplicate.kind == .statement)
    #expect(duplicate.message.contains("unique_things_pkey"))
    #expect(duplicate.message.contains("already exists"))

    let syntax = try #require(throws: DatabaseError.self) { try connection.execute("SELEC 1") }
    #expect(syntax.sqlState == "42601")
    #expect(syntax.kind == .statement)
    let scriptSyntax = try #require(throws: DatabaseError.self) {
      try connection.executeScript("SELECT 1; SELEC 2")
    }
    #expect(scriptSyntax.sqlState == "42601")

    let twoStatements = try #require(throws: DatabaseError.self) {
      try connection.execute("SELECT $1::int; SELECT 2", [.integer(1)])
    }
    #expect(twoStatements.sqlState == "42601")

    #expect(try connection.scalar("SELECT 1") == .integer(1))
  }

  @Test func rollbackLeavesNothing() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE rolled (n int)")
    try connection.begin()
    #expect(connection.isInTransaction)
    try connection.execute("INSERT INTO rolled VALUES (1), (2)")
    try connection.rollback()
    #expect(!connection.isInTransaction)
    #expect(try connection.scalar("SELECT count(*) FROM rolled") == .integer(0))

    #expect(throws: DatabaseError.self) {
      try connection.transaction {
        try connection.execute("INSERT INTO rolled VALUES (3)")
        try connection.execute("INSERT INTO rolled VALUES ('not a number')")
      }
    }
    #expect(!connection.isInTransaction)
    #expect(try connection.scalar("SELECT count(*) FROM rolled") == .integer(0))
  }

  @Test func commitOfAFailedTransactionIsAnError() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE committed (n int)")
    try connection.begin()
    try connection.execute("INSERT INTO committed VALUES (1)")
    _ = try? connection.execute("SELECT 1/0")
    let error = try #require(throws: DatabaseError.self) { try connection.commit() }
    #expect(error.sqlState == "25P02")
    #expect(!connection.isInTransaction)
    #expect(try connection.scalar("SELECT count(*) FROM committed") == .integer(0))
  }

  @Test func noticesAreForwardedOrDropped() throws {
    final class Collected { var messages: [String] = [] }
    let collected = Collected()
    let connection = try PostgresConnection(PostgresTestServer.options) {
      collected.messages.append($0)
    }
    try connection.executeScript("DROP TABLE IF EXISTS no_such_table_here")
    #expect(collected.messages.count == 1)
    #expect(collected.messages.first?.contains("no_such_table_here") == true)
    connection.onNotice = nil
    try connection.executeScript("DROP TABLE IF EXISTS no_such_table_here")
    #expect(collected.messages.count == 1)
  }

  @Test func copyLoadsAwkwardTextExactly() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript(
      "CREATE TEMP TABLE copied (id bigint PRIMARY KEY, label text, note text, amount bigint)")
    let rowCount = 100_000
    let writer = try connection.makeBulkWriter(
      table: "copied", columns: ["id", "label", "note", "amount"])
    for id in 0..<rowCount {
      writer.append(Int64(id))
      switch CopySample.label(id) {
      case nil: writer.appendNull()
      case let label?:
        if id % 2 == 0 {
          writer.append(label)
        } else {
          var bytes = label
          bytes.withUTF8 { writer.append(utf8: UnsafeRawBufferPointer($0)) }
        }
      }
      writer.append("note \(id)")
      if id % 7 == 0 { writer.appendNull() } else { writer.append(CopySample.amount(id)) }
      try writer.endRow()
    }
    #expect(try writer.finish() == rowCount)

    let rows = try connection.query("SELECT id, label, note, amount FROM copied ORDER BY id")
    #expect(rows.count == rowCount)
    var mismatches = 0
    for (id, row) in rows.enumerated() {
      let expected: [SQLValue] = [
        .integer(Int64(id)), CopySample.label(id).map(SQLValue.text) ?? .null, .text("note \(id)"),
        id % 7 == 0 ? .null : .integer(CopySample.amount(id)),
      ]
      if row.values != expected {
        mismatches += 1
        if mismatches <= 5 { Issue.record("row \(id): \(row.values) != \(expected)") }
      }
    }
    #expect(mismatches == 0)
    #expect(try connection.scalar("SELECT count(*) FROM copied WHERE label = ''") != .integer(0))
    #expect(try connection.scalar("SELECT count(*) FROM copied WHERE label IS NULL") != .integer(0))
  }

  @Test func badValueInCopyFailsAndLeavesTheSessionUsable() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE strict_copy (id bigint, label text)")
    try connection.begin()
    let writer = try connection.makeBulkWriter(table: "strict_copy", columns: ["id", "label"])
    writer.append(1)
    writer.append("fine")
    try writer.endRow()
    writer.append("two")
    writer.append("not an integer in the first column")
    // Found by the writer as it encodes the row (binary COPY), or by the server at the end.
    let error = try #require(throws: DatabaseError.self) {
      try writer.endRow()
      try writer.finish()
    }
    #expect(error.kind == .statement)
    #expect(error.sqlState == "22P02")
    #expect(error.message.contains("line 2"))
    try connection.rollback()
    #expect(try connection.scalar("SELECT count(*) FROM strict_copy") == .integer(0))

    let missing = try #require(throws: DatabaseError.self) {
      try connection.makeBulkWriter(table: "no_such_copy_table", columns: ["id"])
    }
    #expect(missing.sqlState == "42P01")
    #expect(try connection.scalar("SELECT 1") == .integer(1))
  }

  @Test func wrongFieldCountEndsTheCopy() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE short_rows (id bigint, label text)")
    try connection.begin()
    let writer = try connection.makeBulkWriter(table: "short_rows", columns: ["id", "label"])
    writer.append(1)
    let error = try #require(throws: DatabaseError.self) { try writer.endRow() }
    #expect(error.kind == .usage)
    // The caller rolls back without finishing the writer.
    try connection.rollback()
    #expect(throws: DatabaseError.self) { try writer.finish() }
    #expect(try connection.scalar("SELECT count(*) FROM short_rows") == .integer(0))
  }

  @Test func anAbandonedCopyDoesNotBlockTheSession() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE abandoned (id bigint)")
    do {
      let writer = try connection.makeBulkWriter(table: "abandoned", columns: ["id"])
      writer.append(1)
      try writer.endRow()
    }
    #expect(try connection.scalar("SELECT count(*) FROM abandoned") == .integer(0))
    let unfinished = try connection.makeBulkWriter(table: "abandoned", columns: ["id"])
    unfinished.append(2)
    try unfinished.endRow()
    // A statement while the COPY is open ends it first.
    #expect(try connection.scalar("SELECT count(*) FROM abandoned") == .integer(0))
    withExtendedLifetime(unfinished) {}

    let plainCopy = try #require(throws: DatabaseError.self) {
      try connection.executeScript("COPY abandoned FROM STDIN")
    }
    #expect(plainCopy.kind == .usage)
    #expect(try connection.scalar("SELECT count(*) FROM abandoned") == .integer(0))
  }

  @Test func transactionAdvisoryLockExcludesOtherSessions() throws {
    let holder = try PostgresTestServer.connect()
    let other = try PostgresTestServer.connect()
    let key = Int64.random(in: 1...Int64.max)
    try holder.begin()
    try holder.advisoryTransactionLock(key)
    #expect(
      try other.scalar("SELECT pg_try_advisory_xact_lock($1)", [.integer(key)]) == .integer(0))
    #expect(try other.tryAdvisoryTransactionLock(key) == false)
    try holder.commit()
    #expect(
      try other.scalar("SELECT pg_try_advisory_xact_lock($1)", [.integer(key)]) == .integer(1))
  }

  @Test func sessionAdvisoryLockLastsUntilUnlocked() throws {
    let holder = try PostgresTestServer.connect()
    let other = try PostgresTestServer.connect()
    let key = Int64.random(in: Int64.min ... -1)
    try holder.advisoryLock(key)
    #expect(
      try other.scalar("SELECT pg_try_advisory_xact_lock($1)", [.integer(key)]) == .integer(0))
    #expect(try holder.advisoryUnlock(key))
    #expect(try holder.advisoryUnlock(key) == false)
    #expect(
      try other.scalar("SELECT pg_try_advisory_xact_lock($1)", [.integer(key)]) == .integer(1))
  }

  @Test func parameterisedStatementsArePreparedOnce() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE shape (a int)")
    for value in 1...3 {
      try connection.execute("INSERT INTO shape VALUES ($1)", [.integer(Int64(value))])
    }
    #expect(try connection.scalar("SELECT count(*) FROM pg_prepared_statements") == .integer(1))

    let select = "SELECT * FROM shape WHERE a = $1"
    #expect(try connection.query(select, [.integer(2)]).map(\.values) == [[.integer(2)]])
    // The cached plan's result type no longer matches: prepared again outside a transaction.
    try connection.executeScript("ALTER TABLE shape ADD COLUMN b text DEFAULT 'x'")
    #expect(
      try connection.query(select, [.integer(2)]).map(\.values) == [[.integer(2), .text("x")]])

    // Inside a transaction the failure aborts it: the caller sees it, and the retry works.
    try connection.executeScript("ALTER TABLE shape ADD COLUMN c int")
    try connection.begin()
    let changed = try #require(throws: DatabaseError.self) {
      try connection.query(select, [.integer(2)])
    }
    #expect(changed.sqlState == "0A000")
    try connection.rollback()
    #expect(try connection.query(select, [.integer(2)]).first?.values.count == 3)

    try connection.executeScript("DEALLOCATE ALL")
    #expect(try connection.query(select, [.integer(3)]).count == 1)

    connection.usesPreparedStatements = false
    #expect(try connection.query("SELECT a FROM shape WHERE a > $1", [.integer(1)]).count == 2)
    #expect(
      try connection.scalar(
        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%a > $1%'")
        == .integer(0))
  }

  @Test func resetReconnectsAfterTheSessionIsKilled() throws {
    let victim = try PostgresTestServer.connect()
    let killer = try PostgresTestServer.connect()
    let pid = try #require(try victim.scalar("SELECT pg_backend_pid() + $1", [.integer(0)]))
    #expect(try killer.scalar("SELECT pg_terminate_backend($1)", [pid]) == .integer(1))
    let error = try #require(throws: DatabaseError.self) { try victim.query("SELECT 1") }
    #expect(error.kind == .connection)
    #expect(!victim.isConnected)
    try victim.reset()
    #expect(victim.isConnected)
    #expect(try victim.scalar("SELECT 1") == .integer(1))
    #expect(try victim.scalar("SELECT pg_backend_pid() + $1", [.integer(0)]) != pid)
  }
}

/// Deterministic awkward values for the COPY test: every escape COPY's text format has, the
/// marker of NULL spelled as text, multi-byte characters, and empty text beside NULL.
enum CopySample {
  static let labels: [String?] = [
    "plain", "", nil, "tab\there", "line\nbreak", "carriage\rreturn", "crlf\r\n", "back\\slash",
    "\\N", "\\", "trailing backslash\\", "quotes 'single' \"double\"", "emoji 🎉👩‍👩‍👧 ok",
    "ünïcødé — 日本語", "\t\n\r\\ all", " spaces ", String(repeating: "long ", count: 200),
    "comma,semicolon;pipe|", "\u{7F}\u{1}control",
  ]

  static func label(_ id: Int) -> String? {
    labels[id % labels.count].map { id % 3 == 0 ? $0 : "\($0)#\(id)" }
  }

  static func amount(_ id: Int) -> Int64 {
    id % 2 == 0 ? Int64(id) * 1_000_003 : -Int64(id) * 97 - (id == 1 ? Int64.max - 200 : 0)
  }
}
