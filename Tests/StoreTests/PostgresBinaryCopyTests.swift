import Testing
import UDM

@testable import Store

/// COPY in binary format: each kind of value the loader writes lands as the text format lands it.
/// The same rows go into a table whose types all have a binary form and into one with a numeric
/// column too (sent as text); both are read back and compared with what each value means.
@Suite(.enabled(if: PostgresTestServer.isAvailable))
struct PostgresBinaryCopyTests {
  static let columns = ["i2", "i4", "i8", "t", "v", "ts", "d"]

  /// One row: how each value is appended, and how PostgreSQL prints it back (nil: NULL).
  struct Row: Sendable {
    let append: @Sendable (any BulkRowWriter) -> Void
    let expected: [String?]
  }

  static func timestamp(_ text: String) -> LMSTimestamp { LMSTimestamp(text)! }

  static let rows: [Row] = [
    Row(
      append: { writer in
        writer.append(Int64(Int16.min))
        writer.append(Int64(Int32.min))
        writer.append(Int64.min + 1)
        writer.append("tab\there, line\nbreak, back\\slash, cr\r, é ünïcode ✓")
        writer.append("")
        writer.append(timestamp("1999-12-31 23:59:59.999999"))
        writer.append(LMSDate("1900-03-01")!)
      },
      expected: [
        "-32768", "-2147483648", "-9223372036854775807",
        "tab\there, line\nbreak, back\\slash, cr\r, é ünïcode ✓", "", "1999-12-31 23:59:59.999999",
        "1900-03-01",
      ]),
    Row(
      append: { writer in
        writer.append(Int64(Int16.max))
        var digits = "2147483647"
        digits.withUTF8 { writer.append(utf8: UnsafeRawBufferPointer($0)) }
        writer.append(Int64.max)
        writer.appendNull()
        writer.append(Int64(42))
        var text = "2000-01-01 00:00:00"
        text.withUTF8 { writer.append(utf8: UnsafeRawBufferPointer($0)) }
        var date = "2000-02-29"
        date.withUTF8 { writer.append(utf8: UnsafeRawBufferPointer($0)) }
      },
      expected: [
        "32767", "2147483647", "9223372036854775807", nil, "42", "2000-01-01 00:00:00",
        "2000-02-29",
      ]),
    Row(
      append: { writer in
        writer.append(Int64(0))
        writer.appendNull()
        writer.append(Int64(-1))
        writer.append("plain")
        writer.appendNull()
        writer.append(timestamp("2021-03-01 08:00:00.5"))
        writer.appendNull()
      },
      expected: ["0", nil, "-1", "plain", nil, "2021-03-01 08:00:00.5", nil]),
    Row(
      append: { writer in
        writer.appendNull()
        writer.append(Int64(7))
        writer.appendNull()
        writer.append("")
        writer.append("v")
        writer.append(timestamp("0001-01-01 00:00:00"))
        writer.append(LMSDate("9999-12-31")!)
      },
      expected: [nil, "7", nil, "", "v", "0001-01-01 00:00:00", "9999-12-31"]),
    Row(
      append: { writer in
        writer.append(Int64(1))
        writer.append(Int64(2))
        writer.append(Int64(3))
        writer.append("last")
        writer.append("w")
        var text = "9999-12-31 23:59:59.000001"
        text.withUTF8 { writer.append(utf8: UnsafeRawBufferPointer($0)) }
        writer.append(LMSDate("1970-01-01")!)
      },
      expected: ["1", "2", "3", "last", "w", "9999-12-31 23:59:59.000001", "1970-01-01"]),
  ]

  func load(_ connection: PostgresConnection, table: String, extra: Bool) throws -> Bool {
    let columns = Self.columns + (extra ? ["n"] : [])
    let writer = try connection.makeBulkWriter(table: table, columns: columns)
    for row in Self.rows {
      row.append(writer)
      if extra { writer.append("1.50") }
      try writer.endRow()
    }
    #expect(try writer.finish() == Self.rows.count)
    return try #require(writer as? PostgresCopyWriter).isBinary
  }

  @Test func everyKindOfValueLandsAsWritten() throws {
    let connection = try PostgresTestServer.connect()
    let types = "i2 smallint, i4 integer, i8 bigint, t text, v varchar(20), ts timestamp, d date"
    try connection.executeScript(
      """
      CREATE TEMP TABLE binary_copy (n_row serial, \(types));
      CREATE TEMP TABLE text_copy (n_row serial, \(types), n numeric)
      """)
    #expect(try load(connection, table: "binary_copy", extra: false))
    #expect(try !load(connection, table: "text_copy", extra: true))
    let select = Self.columns.map { "CAST(\($0) AS text)" }.joined(separator: ", ")
    for table in ["binary_copy", "text_copy"] {
      let rows = try connection.query("SELECT \(select) FROM \(table) ORDER BY n_row")
      #expect(rows.map { row in row.values.map(\.text) } == Self.rows.map(\.expected), "\(table)")
    }
  }

  @Test func aValueTheColumnCannotHoldFailsTheRow() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE refused (id integer, at timestamp)")
    try connection.begin()
    let writer = try connection.makeBulkWriter(table: "refused", columns: ["id", "at"])
    writer.append(Int64(1))
    writer.append("2021-01-01 00:00:00")
    try writer.endRow()
    writer.append(Int64(Int32.max) + 1)
    writer.append("2021-01-01 00:00:00")
    let error = try #require(throws: DatabaseError.self) { try writer.endRow() }
    #expect(error.kind == .statement)
    #expect(error.message.contains("column id"))
    #expect(error.message.contains("line 2"))
    try connection.rollback()
    #expect(try connection.scalar("SELECT count(*) FROM refused") == .integer(0))
  }

  /// A row with a field past the last column fails as in text format (a usage error at its
  /// end), whatever kind of value the extra field is, and the session stays usable.
  @Test func aFieldPastTheLastColumnFailsTheRow() throws {
    let connection = try PostgresTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE too_wide (id integer, at timestamp)")
    for extra in ["integer", "text", "timestamp", "date", "null"] {
      try connection.begin()
      let writer = try connection.makeBulkWriter(table: "too_wide", columns: ["id", "at"])
      #expect(try #require(writer as? PostgresCopyWriter).isBinary)
      writer.append(Int64(1))
      writer.append(Self.timestamp("2021-01-01 00:00:00"))
      switch extra {
      case "integer": writer.append(Int64(2))
      case "text": writer.append("three")
      case "timestamp": writer.append(Self.timestamp("2021-01-02 00:00:00"))
      case "date": writer.append(LMSDate("2021-01-03")!)
      default: writer.appendNull()
      }
      let error = try #require(throws: DatabaseError.self, "\(extra)") { try writer.endRow() }
      #expect(error.kind == .usage, "\(extra)")
      try connection.rollback()
      #expect(try connection.scalar("SELECT count(*) FROM too_wide") == .integer(0))
    }
  }
}
