import Testing

@testable import Store

struct ParameterMarkersTests {
  let postgres = ParameterMarkers.Syntax.of(.postgresql)
  let sqlServer = ParameterMarkers.Syntax.of(.sqlserver)

  @Test func eachOccurrenceBecomesAMarker() throws {
    let markers = try ParameterMarkers(
      rewriting: "SELECT $2, $1 + $1 FROM t WHERE a = $10", parameterCount: 10, syntax: postgres)
    #expect(markers.sql == "SELECT ?, ? + ? FROM t WHERE a = ?")
    #expect(markers.order == [1, 0, 0, 9])
  }

  @Test func quotedTextAndCommentsAreLeftAlone() throws {
    let sql = """
      SELECT '$1 it''s ?', "col$1", E'\\' $1', x$1, $$ $1 ? $$, $tag$ $1 $tag$ -- $1 ?
      /* $1 /* ? */ $1 */ FROM t WHERE a = $1::int
      """
    let markers = try ParameterMarkers(rewriting: sql, parameterCount: 1, syntax: postgres)
    #expect(markers.order == [0])
    #expect(markers.sql == sql.replacing("a = $1::int", with: "a = ?::int"))
  }

  @Test func bracketsQuoteOnlyOnSQLServer() throws {
    let server = try ParameterMarkers(
      rewriting: "SELECT [a$1], $1", parameterCount: 1, syntax: sqlServer)
    #expect(server.sql == "SELECT [a$1], ?")
    let postgresArray = try ParameterMarkers(
      rewriting: "SELECT arr[$1]", parameterCount: 1, syntax: postgres)
    #expect(postgresArray.sql == "SELECT arr[?]")
  }

  @Test func misusesAreUsageErrors() {
    let outOfRange = #expect(throws: DatabaseError.self) {
      try ParameterMarkers(rewriting: "SELECT $3", parameterCount: 2, syntax: postgres)
    }
    #expect(outOfRange?.kind == .usage)
    let bareMarker = #expect(throws: DatabaseError.self) {
      try ParameterMarkers(rewriting: "SELECT doc ? 'key'", parameterCount: 1, syntax: postgres)
    }
    #expect(bareMarker?.kind == .usage)
  }
}
