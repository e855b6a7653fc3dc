import Testing

@testable import CSV

@Suite struct CSVReaderTests {
  @Test func plainRecordsWithLineNumbers() throws {
    let got = try records("a,b,c\n1,2,3\n")
    #expect(got.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"]])
    #expect(got.map(\.line) == [1, 2])
  }

  @Test func byteOrderMarkIsNotPartOfTheFirstHeader() throws {
    let got = try records([0xEF, 0xBB, 0xBF] + Array("SourceSystemIdentifier,x\n1,2".utf8))
    #expect(got.map(\.fields) == [["SourceSystemIdentifier", "x"], ["1", "2"]])
    #expect(got[0].line == 1)
  }

  @Test func byteOrderMarkOnlyOnce() throws {
    let got = try records("\u{FEFF}a\n\u{FEFF}b\n")
    #expect(got.map(\.fields) == [["a"], ["\u{FEFF}b"]])
  }

  @Test func onlyAByteOrderMarkIsEmpty() throws {
    #expect(try records([0xEF, 0xBB, 0xBF]).isEmpty)
    #expect(try records([]).isEmpty)
  }

  @Test func quotedFieldsHoldCommasQuotesAndLineEnds() throws {
    let got = try records("id,text\n1,\"a, \"\"b\"\"\nc\"\n2,\"x\r\ny\rz\"\n3,end\n")
    #expect(
      got.map(\.fields) == [
        ["id", "text"], ["1", "a, \"b\"\nc"], ["2", "x\r\ny\rz"], ["3", "end"],
      ])
    // A record with embedded line ends spans physical lines; CR LF inside counts once.
    #expect(got.map(\.line) == [1, 2, 4, 7])
    #expect(got[1].quoted == [false, true])
  }

  @Test(arguments: ["\n", "\r\n", "\r"])
  func lineEnds(_ end: String) throws {
    let got = try records("a,b\(end)c,d\(end)\(end)e,f\(end)")
    #expect(got.map(\.fields) == [["a", "b"], ["c", "d"], [""], ["e", "f"]])
    #expect(got.map(\.line) == [1, 2, 3, 4])
  }

  @Test func mixedLineEnds() throws {
    let got = try records("a\r\nb\rc\nd\n\re")
    #expect(got.map(\.fields) == [["a"], ["b"], ["c"], ["d"], [""], ["e"]])
    #expect(got.map(\.line) == [1, 2, 3, 4, 5, 6])
  }

  @Test func lastRecordWithoutLineEnd() throws {
    #expect(try records("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
    #expect(try records("a,b\n1,\"2\"").map(\.fields) == [["a", "b"], ["1", "2"]])
    #expect(try records("a,b\n1,").map(\.fields) == [["a", "b"], ["1", ""]])
    #expect(try records("a\r").map(\.fields) == [["a"]])
  }

  @Test func emptyFieldsQuotedOrNot() throws {
    let got = try records(",\"\",x,\n")
    #expect(got[0].fields == ["", "", "x", ""])
    #expect(got[0].quoted == [false, true, false, false])
  }

  @Test func emptyFieldHasZeroBytes() throws {
    let reader = CSVReader(bytes: Array("\"\",".utf8))
    #expect(try reader.next())
    #expect(reader.withField(0) { $0.count } == 0)
    #expect(reader.withField(1) { $0.count } == 0)
  }

  @Test func blankRecords() throws {
    let got = try records("a\n\n \t\n\"\"\n \"\"\n")
    #expect(got.map(\.blank) == [false, true, true, false, false])
    #expect(got.map(\.line) == [1, 2, 3, 4, 5])
  }

  @Test func aLoneNewlineIsOneBlankRecord() throws {
    let got = try records("\n")
    #expect(got.count == 1 && got[0].blank)
  }

  /// The chosen rule: a quote inside a field that does not start with one is kept as written.
  @Test func quoteInsideUnquotedFieldIsLiteral() throws {
    let got = try records("ab\"c,\"x\"\"y\", \"z\"\n")
    #expect(got[0].fields == ["ab\"c", "x\"y", " \"z\""])
    #expect(got[0].quoted == [false, true, false])
  }

  @Test func multibyteCharactersAcrossRefills() throws {
    let text = "é,日本,😀x\n\"ü😀\"\"\",ok\n"
    #expect(try records(text).map(\.fields) == [["é", "日本", "😀x"], ["ü😀\"", "ok"]])
  }

  @Test func fieldPositionsAreCharacterColumns() throws {
    let reader = CSVReader(bytes: Array("h\né,\"a\nb\",c\n".utf8))
    #expect(try reader.next())
    #expect(try reader.next())
    #expect(reader.line == 2)
    #expect(reader.position(ofField: 0) == (2, 1))
    #expect(reader.position(ofField: 1) == (2, 3))
    #expect(reader.position(ofField: 2) == (3, 4))
    #expect(try reader.next() == false)
  }

  @Test func recordLargerThanTheBufferGrowsIt() throws {
    let long = String(repeating: "x", count: 5000)
    let text = "a,\"\(long)\"\n\(long),b\n"
    let got = try readThroughFile(Array(text.utf8), bufferSize: 16)
    #expect(got.map(\.fields) == [["a", long], [long, "b"]])
  }

  @Test func largeGeneratedInput() throws {
    var bytes: [UInt8] = Array("\u{FEFF}id,name,note,count\r\n".utf8)
    let rows = 200_000
    for index in 0..<rows {
      let note = index % 10 == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : "plain é"
      bytes += Array("id-\(index),Name \(index),\(note),\(index % 97)\r\n".utf8)
    }
    try withTemporaryFile(bytes) { path in
      let reader = try CSVReader(path: path, bufferSize: 1 << 16)
      #expect(try reader.next())
      #expect(reader.field(0) == "id")
      var count = 0
      var sum = 0
      var lastLine = 0
      var lastID = ""
      var wrongCounts = 0
      while try reader.next() {
        if reader.fieldCount != 4 { wrongCounts += 1 }
        sum += reader.withField(3) { Int(String(decoding: $0, as: UTF8.self)) ?? 0 }
        lastLine = reader.line
        lastID = reader.field(0)
        count += 1
      }
      #expect(count == rows)
      #expect(wrongCounts == 0)
      #expect(sum == (0..<rows).reduce(0) { $0 + $1 % 97 })
      #expect(lastID == "id-\(rows - 1)")
      // Line 1 is the header; one row in ten spans two lines.
      #expect(lastLine == 1 + rows + rows / 10)
    }
  }
}
