import Foundation
import Testing

@testable import Store

@Suite(
  .enabled(
    if: ODBCTestServer.isAvailable,
    "needs LMSDS_TEST_POSTGRES_URL (scripts/with-postgres.sh swift test)"),
  // Timings compare array sizes: running them side by side would blur the comparison.
  .serialized)
struct ODBCBulkWriterTests {
  static let labels: [String?] = [
    "plain", "", nil, "tab\there", "line\nbreak", "quotes 'single' \"double\"", "emoji 🎉👩‍👩‍👧 ok",
    "ünïcødé — 日本語", " spaces ", String(repeating: "long ü🎉 ", count: 1200), "back\\slash",
  ]

  static func label(_ id: Int) -> String? {
    labels[id % labels.count].map { id % 3 == 0 ? $0 : "\($0)#\(id)" }
  }

  static func amount(_ id: Int) -> Int64? {
    id % 7 == 0 ? nil : (id % 2 == 0 ? Int64(id) * 1_000_003 : -Int64(id) * 97)
  }

  @Test(arguments: [1, 100, 1000, 5000])
  func loadsAwkwardRowsExactly(arraySize: Int) throws {
    let connection = try ODBCTestServer.connect(arraySize: arraySize)
    let table = "bulk_\(arraySize)"
    try connection.executeScript(
      "CREATE TEMP TABLE \(table) (id bigint PRIMARY KEY, label text, note varchar(40), amount bigint)"
    )
    let rowCount = 10_000
    // Built before the clock starts, so the timing is the writer's and the driver's.
    let labels = (0..<rowCount).map(Self.label)
    let started = ContinuousClock.now
    let writer = try connection.makeBulkWriter(
      table: table, columns: ["id", "label", "note", "amount"])
    for id in 0..<rowCount {
      writer.append(Int64(id))
      switch labels[id] {
      case nil: writer.appendNull()
      case let label?:
        if id % 2 == 0 {
          writer.append(label)
        } else {
          var bytes = label
          bytes.withUTF8 { writer.append(utf8: UnsafeRawBufferPointer($0)) }
        }
      }
      // A column whose values are integers in some rows and text in others.
      if id % 5 == 0 { writer.append(Int64(id)) } else { writer.append("note \(id)") }
      if let amount = Self.amount(id) { writer.append(amount) } else { writer.appendNull() }
      try writer.endRow()
    }
    #expect(try writer.finish() == rowCount)
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(
      "ODBC bulk insert, array size \(arraySize): \(rowCount) rows in \(String(format: "%.2f", seconds)) s = \(Int(Double(rowCount) / seconds)) rows/s"
    )

    let rows = try connection.query("SELECT id, label, note, amount FROM \(table) ORDER BY id")
    #expect(rows.count == rowCount)
    var mismatches = 0
    for (id, row) in rows.enumerated() {
      let expected: [SQLValue] = [
        .integer(Int64(id)), Self.label(id).map(SQLValue.text) ?? .null,
        .text(id % 5 == 0 ? String(id) : "note \(id)"),
        Self.amount(id).map(SQLValue.integer) ?? .null,
      ]
      if row.values != expected {
        mismatches += 1
        if mismatches <= 3 { Issue.record("row \(id): \(row.values) != \(expected)") }
      }
    }
    #expect(mismatches == 0)
    #expect(try connection.scalar("SELECT count(*) FROM \(table) WHERE label = ''") != .integer(0))
    #expect(
      try connection.scalar("SELECT count(*) FROM \(table) WHERE label IS NULL") != .integer(0))
  }

  @Test func aFailingRowSurfacesAndTheConnectionRecovers() throws {
    let connection = try ODBCTestServer.connect(arraySize: 100)
    try connection.executeScript(
      "CREATE TEMP TABLE strict_bulk (id bigint PRIMARY KEY, label text)")
    try connection.begin()
    let writer = try connection.makeBulkWriter(table: "strict_bulk", columns: ["id", "label"])
    var failure: DatabaseError?
    for id in 0..<250 {
      // Row 151 (id 150) repeats the key of row 1.
      writer.append(Int64(id == 150 ? 0 : id))
      writer.append("row \(id)")
      do { try writer.endRow() } catch let error as DatabaseError {
        failure = error
        break
      }
    }
    let error = try failure ?? #require(throws: DatabaseError.self) { try writer.finish() }
    #expect(error.sqlState == "23505")
    #expect(error.kind == .statement)
    // psqlODBC marks every row of the failed batch; a driver that singles out the row names it.
    #expect(error.message.contains("rows 101–200") || error.message.contains("row 151"))
    #expect(throws: DatabaseError.self) { try writer.finish() }
    try connection.rollback()
    #expect(try connection.scalar("SELECT count(*) FROM strict_bulk") == .integer(0))
    try connection.execute(
      "INSERT INTO strict_bulk VALUES ($1, $2)", [.integer(1), .text("after")])
    #expect(
      try connection.scalar("SELECT label FROM strict_bulk WHERE id = $1", [.integer(1)])
        == .text("after"))
  }

  @Test func wrongFieldCountIsAUsageError() throws {
    let connection = try ODBCTestServer.connect()
    try connection.executeScript("CREATE TEMP TABLE short_bulk (id bigint, label text)")
    let writer = try connection.makeBulkWriter(table: "short_bulk", columns: ["id", "label"])
    writer.append(1)
    let error = try #require(throws: DatabaseError.self) { try writer.endRow() }
    #expect(error.kind == .usage)
    #expect(throws: DatabaseError.self) { try writer.finish() }
    #expect(try connection.scalar("SELECT count(*) FROM short_bulk") == .integer(0))
  }

  @Test func missingTableFailsWhenPrepared() throws {
    let connection = try ODBCTestServer.connect()
    let error = try #require(throws: DatabaseError.self) {
      let writer = try connection.makeBulkWriter(table: "no_such_bulk_table", columns: ["id"])
      writer.append(1)
      try writer.endRow()
      try writer.finish()
    }
    #expect(error.sqlState == "42P01")
    #expect(try connection.scalar("SELECT 1") == .integer(1))
  }
}
