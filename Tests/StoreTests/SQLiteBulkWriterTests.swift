import Foundation
import Testing

@testable import Store

/// The SQLite bulk writer steps its rows on a queue of its own while the caller appends the next
/// ones: every row arrives, in order and value for value, and a failure still reaches the caller.
@Suite struct SQLiteBulkWriterTests {
  /// Rows enough for several chunks, with NULLs, integers, empty and non-ASCII text.
  @Test func rowsOverManyChunksArriveInOrderValueForValue() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.executeScript("CREATE TABLE bulk (n INTEGER, label TEXT, note TEXT)")
    let writer = try connection.makeBulkWriter(table: "bulk", columns: ["n", "label", "note"])
    let count = 30_000
    for n in 0..<count {
      writer.append(Int64(n))
      writer.append("row \(n) élève \(String(repeating: "x", count: n % 40))")
      if n % 3 == 0 {
        writer.appendNull()
      } else if n % 3 == 1 {
        writer.append("")
      } else {
        Array("n=\(n)".utf8).withUnsafeBytes { writer.append(utf8: $0) }
      }
      try writer.endRow()
    }
    #expect(try writer.finish() == count)
    #expect(count * 40 > SQLiteBulkWriter.chunkBytes * 3)

    let rows = try connection.query("SELECT n, label, note FROM bulk ORDER BY rowid")
    #expect(rows.count == count)
    for (n, row) in rows.enumerated() {
      #expect(row.int(0) == Int64(n))
      #expect(row.text(1) == "row \(n) élève \(String(repeating: "x", count: n % 40))")
      switch n % 3 {
      case 0: #expect(row.values[2].isNull)
      case 1: #expect(row.text(2) == "")
      default: #expect(row.text(2) == "n=\(n)")
      }
      if row.int(0) != Int64(n) { break }
    }
  }

  /// A row the table refuses stops the load: the error reaches the caller by the row after it or
  /// by `finish`, and the connection can roll back and go on.
  @Test func aRefusedRowIsReportedAndTheConnectionStaysUsable() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.executeScript("CREATE TABLE strict_bulk (n INTEGER NOT NULL, label TEXT)")
    try connection.begin()
    let writer = try connection.makeBulkWriter(table: "strict_bulk", columns: ["n", "label"])
    var failure: (any Error)?
    do {
      for n in 0..<20_000 {
        if n == 5_000 { writer.appendNull() } else { writer.append(Int64(n)) }
        writer.append("label \(n)")
        try writer.endRow()
      }
      _ = try writer.finish()
    } catch {
      failure = error
    }
    let error = try #require(failure as? DatabaseError)
    #expect("\(error)".contains("NOT NULL"))
    try connection.rollback()
    #expect(try connection.scalar("SELECT COUNT(*) FROM strict_bulk")?.int == 0)
    #expect(try connection.scalar("SELECT 41 + 1")?.int == 42)
  }

  /// A writer released without `finish` (its caller threw) has stepped what it handed over before
  /// the connection is used again.
  @Test func aWriterReleasedWithoutFinishLeavesTheConnectionToItsOwner() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.executeScript("CREATE TABLE left_bulk (n INTEGER, label TEXT)")
    do {
      let writer = try connection.makeBulkWriter(table: "left_bulk", columns: ["n", "label"])
      for n in 0..<50_000 {
        writer.append(Int64(n))
        writer.append("a label long enough to fill chunks \(n)")
        try writer.endRow()
      }
    }
    let stored = try #require(try connection.scalar("SELECT COUNT(*) FROM left_bulk")?.int)
    // Every chunk handed over is in; the one being filled is not.
    #expect(stored > 0 && stored < 50_000)
    #expect(try connection.scalar("SELECT MAX(n) + 1 FROM left_bulk")?.int == stored)
    let again = try connection.makeBulkWriter(table: "left_bulk", columns: ["n", "label"])
    again.append(Int64(-1))
    again.append("after")
    try again.endRow()
    #expect(try again.finish() == 1)
  }
}
