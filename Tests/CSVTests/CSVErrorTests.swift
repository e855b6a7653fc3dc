import Testing

@testable import CSV

@Suite struct CSVErrorTests {
  @Test func unterminatedQuoteIsReportedWhereItOpens() throws {
    let error = try #require(try csvError("a,b\n1,\"open\n2,3\n"))
    #expect(error.kind == .unterminatedQuote)
    #expect((error.line, error.column) == (2, 3))
  }

  @Test func characterAfterClosingQuote() throws {
    let error = try #require(try csvError("a\nxy,\"ab\"c\n"))
    #expect(error.kind == .characterAfterClosingQuote)
    #expect((error.line, error.column) == (2, 8))
    #expect(try csvError("\"a\" \n")?.kind == .characterAfterClosingQuote)
    #expect(try csvError("\"a\"\"\n")?.kind == .unterminatedQuote)
  }

  @Test func columnAfterEmbeddedLineEndAndMultibyte() throws {
    let error = try #require(try csvError("\"x\r\nüü\"z"))
    #expect(error.kind == .characterAfterClosingQuote)
    #expect((error.line, error.column) == (2, 4))
  }

  @Test func nulCharacter() throws {
    let error = try #require(try csvError([0x61, 0x0A, 0x62, 0x00, 0x0A]))
    #expect(error.kind == .nulCharacter)
    #expect((error.line, error.column) == (2, 2))
  }

  @Test(
    arguments: [
      [0xFF], [0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],
      [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
      [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xC3, 0x41], [0xE2, 0x82, 0x41],
      [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ] as [[UInt8]])
  func invalidUTF8(_ sequence: [UInt8]) throws {
    // After an accepted multibyte character so the column counts characters, not bytes.
    let bytes = Array("id\nü,x".utf8) + sequence + Array("y\nz\n".utf8)
    let error = try #require(try csvError(bytes))
    #expect(error.kind == .invalidUTF8)
    #expect((error.line, error.column) == (2, 4))
  }

  @Test func invalidUTF8CutAtEndOfFile() throws {
    let error = try #require(try csvError(Array("a,b\n1,".utf8) + [0xE2, 0x82]))
    #expect(error.kind == .invalidUTF8)
    #expect((error.line, error.column) == (2, 3))
  }

  @Test(
    arguments: [
      [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
      [0xC2, 0x80], [0xEF, 0xBF, 0xBF],
    ] as [[UInt8]])
  func validBoundaryCharacters(_ sequence: [UInt8]) throws {
    let got = try records(Array("x,".utf8) + sequence)
    #expect(got[0].fields[1].utf8.elementsEqual(sequence))
  }

  @Test func recordsBeforeTheErrorAreReturned() throws {
    let reader = CSVReader(bytes: Array("a\nb\n\"c".utf8))
    #expect(try reader.next())
    #expect(try reader.next())
    #expect(throws: CSVError.self) { try reader.next() }
  }

  @Test func missingFile() {
    #expect {
      _ = try CSVReader(path: "/nonexistent/file.csv")
    } throws: { error in
      (error as? CSVError)?.kind == .io
    }
  }

  @Test func description() {
    let error = CSVError(kind: .nulCharacter, line: 3, column: 5, detail: "byte 0x00")
    #expect(error.description == "line 3, column 5: NUL character: byte 0x00")
  }
}
