import Testing

@testable import Store

/// The parts of the PostgreSQL driver that need no server.
struct PostgresEncodingTests {
  private func integer(_ text: String) -> Int64? {
    var text = text
    return text.withUTF8 { PostgresValueDecoding.integer($0) }
  }

  @Test func integersParseWithinRange() {
    #expect(integer("0") == 0)
    #expect(integer("-17") == -17)
    #expect(integer("+5") == 5)
    #expect(integer("9223372036854775807") == .max)
    #expect(integer("-9223372036854775808") == .min)
    #expect(integer("9223372036854775808") == nil)
    #expect(integer("-9223372036854775809") == nil)
    #expect(integer("") == nil)
    #expect(integer("-") == nil)
    #expect(integer("1.5") == nil)
    #expect(integer("1e3") == nil)
  }

  @Test func numericKeepsWholeNumbersAsIntegers() {
    func numeric(_ text: String) -> SQLValue {
      var text = text
      return text.withUTF8 {
        PostgresValueDecoding.value(type: PostgresValueDecoding.numeric, bytes: $0)
      }
    }
    #expect(numeric("42") == .integer(42))
    #expect(numeric("2.50") == .real(2.5))
    #expect(numeric("123456789012345678901234") == .real(1.2345678901234568e23))
  }

  @Test func optionsBecomeLibPQKeywordsWithDefaults() {
    let options = PostgresConnectionOptions(
      host: "db.example", port: 6543, user: "loader", password: "s3cret", database: "lms",
      parameters: ["sslmode": "require", "host": "ignored"])
    let pairs = Dictionary(
      uniqueKeysWithValues: options.libpqParameters.map { ($0.keyword, $0.value) })
    #expect(pairs["host"] == "db.example")
    #expect(pairs["port"] == "6543")
    #expect(pairs["dbname"] == "lms")
    #expect(pairs["password"] == "s3cret")
    #expect(pairs["sslmode"] == "require")
    #expect(pairs["application_name"] == "lmsds")
    #expect(pairs["client_encoding"] == "UTF8")
    #expect(pairs["connect_timeout"] == "30")
    #expect(!options.endpointDescription.contains("s3cret"))

    var named = options
    named.parameters["application_name"] = "custom"
    #expect(
      named.libpqParameters.filter { $0.keyword == "application_name" }.map(\.value) == ["custom"])
  }

  @Test func sqlStatesSortIntoKinds() {
    #expect(
      PostgresErrorClassification.kind(sqlState: "40001", connectionBroken: false) == .conflict)
    #expect(
      PostgresErrorClassification.kind(sqlState: "40P01", connectionBroken: false) == .conflict)
    #expect(
      PostgresErrorClassification.kind(sqlState: "55P03", connectionBroken: false) == .conflict)
    #expect(
      PostgresErrorClassification.kind(sqlState: "08006", connectionBroken: false) == .connection)
    #expect(
      PostgresErrorClassification.kind(sqlState: "57P01", connectionBroken: false) == .connection)
    #expect(
      PostgresErrorClassification.kind(sqlState: "23505", connectionBroken: false) == .statement)
    #expect(PostgresErrorClassification.kind(sqlState: nil, connectionBroken: false) == .statement)
    #expect(
      PostgresErrorClassification.kind(sqlState: "23505", connectionBroken: true) == .connection)
  }

  @Test func textParametersMayNotHoldNUL() {
    #expect(throws: DatabaseError.self) { try LibPQParameters([.text("a\u{0}b")]) }
    #expect((try? LibPQParameters([.null, .integer(1), .real(.nan), .text("x")]))?.count == 4)
  }
}
