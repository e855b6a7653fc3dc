import Messages
import Testing

@testable import Store

/// The ledger's batch INSERT is built from its row count alone; these pin that its markers, its
/// values and its timestamp casts line up column by column.
@Suite struct LedgerRecordTextTests {
  static let entry = LedgerEntry(
    provider: "p", resource: .users, relativePath: "users/2024-01-01-00-00-00.csv",
    sha256: .repeating("a"), size: 10, nameTimestamp: NameTimestamp("2024-01-01 00:00:00")!,
    scopeKey: "", outcome: .loaded, startedAt: "2024-01-02 03:04:05")

  @Test func valuesAndMarkersLineUpWithTheColumns() throws {
    let connection = RecordingConnection(dialect: .postgresql)
    let ledger = Ledger(connection: connection)
    let columns = Ledger.recordedColumns
    #expect(ledger.recordedValues(of: Self.entry).count == columns.count)
    #expect(Ledger.recordedTimestampColumns.isSubset(of: Set(columns)))

    try ledger.record([Self.entry, Self.entry])
    let call = try #require(connection.calls.last)
    #expect(call.parameters.count == 2 * columns.count)
    // Each row's tuple: its own markers, cast exactly where the column holds a timestamp.
    for row in 0..<2 {
      let markers = columns.enumerated().map { index, column in
        let marker = "$\(row * columns.count + index + 1)"
        return Ledger.recordedTimestampColumns.contains(column)
          ? "CAST(\(marker) AS timestamp)" : marker
      }
      #expect(call.sql.contains("(" + markers.joined(separator: ", ") + ")"))
    }
    let name = try #require(columns.firstIndex(of: "NameTimestamp"))
    #expect(call.parameters[name] == .text("2024-01-01 00:00:00"))
    #expect(call.parameters[columns.count + name] == .text("2024-01-01 00:00:00"))
  }
}
