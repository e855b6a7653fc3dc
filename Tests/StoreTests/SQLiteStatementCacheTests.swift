import Testing

@testable import Store

/// A long-lived SQLite session keeps a bounded number of compiled statements: statements whose text
/// varies (an IN list's length) run once each past the bound instead of piling up.
@Suite struct SQLiteStatementCacheTests {
  @Test func statementsPastTheBoundRunOnceEachAndTheCacheStopsGrowing() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.executeScript("CREATE TABLE t (n INTEGER)")
    let capacity = SQLiteConnection.statementCacheCapacity
    for k in 0..<(capacity + 50) {
      let rows = try connection.query(SQLStatement("SELECT $1 + \(k)", [.integer(1)]))
      #expect(rows.first?.int(0) == Int64(k + 1))
    }
    #expect(connection.cachedStatementCount == capacity)

    // A statement past the bound, run again: prepared again, same answer, no growth.
    let late = SQLStatement("SELECT $1 + \(capacity + 10)", [.integer(2)])
    #expect(try connection.query(late).first?.int(0) == Int64(capacity + 12))
    #expect(try connection.query(late).first?.int(0) == Int64(capacity + 12))
    // Writes through single-use statements land as well.
    for k in 0..<3 {
      #expect(
        try connection.execute(SQLStatement("INSERT INTO t (n) VALUES ($1 + \(k))", [.integer(10)]))
          == 1)
    }
    #expect(try connection.query("SELECT SUM(n) FROM t").first?.int(0) == 33)
    #expect(connection.cachedStatementCount == capacity)

    // The statements cached first still run from the cache.
    #expect(try connection.query(SQLStatement("SELECT $1 + 0", [.integer(7)])).first?.int(0) == 7)
  }
}
