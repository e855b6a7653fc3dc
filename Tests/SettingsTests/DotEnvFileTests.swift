import Foundation
import Testing

@testable import Settings

@Suite struct DotEnvFileTests {
  @Test func plainValuesCommentsAndExport() {
    let file = DotEnvFile.parse(
      """
      # Ed-Fi loader settings
      CSV_PATH=/data/canvas
        DB_SERVER = localhost  
      export DB_NAME=lms
      export   DB_PORT=1433 # the default

      EMPTY=
      HASH=a#b
      """)
    #expect(
      file.values == [
        "CSV_PATH": "/data/canvas", "DB_SERVER": "localhost", "DB_NAME": "lms", "DB_PORT": "1433",
        "EMPTY": "", "HASH": "a#b",
      ])
    #expect(file.skippedLines.isEmpty)
  }

  @Test func quotes() {
    let file = DotEnvFile.parse(
      #"""
      SINGLE='it''s'
      LITERAL='a $ {x} \n #not comment'
      ESCAPED_SINGLE='it\'s'
      DOUBLE="tab\there \"quoted\" back\\slash"
      MULTI="line one
      line two"
      AFTER="x"   # comment
      DOLLAR=pa$$word
      """#)
    #expect(file.values["LITERAL"] == #"a $ {x} \n #not comment"#)
    #expect(file.values["ESCAPED_SINGLE"] == "it's")
    #expect(file.values["DOUBLE"] == "tab\there \"quoted\" back\\slash")
    #expect(file.values["MULTI"] == "line one\nline two")
    #expect(file.values["AFTER"] == "x")
    #expect(file.values["DOLLAR"] == "pa$$word")
    // `'it''s'` is a quoted value followed by more text: not a valid line.
    #expect(file.values["SINGLE"] == nil)
    #expect(file.skippedLines == [1])
  }

  @Test func interpolationPrefersTheEnvironment() {
    let file = DotEnvFile.parse(
      """
      HOST=db.local
      URL=postgresql://${USER}@${HOST}/${DB:-lms}
      QUOTED="${HOST}:5432"
      RAW='${HOST}'
      """, environment: ["USER": "loader", "HOST": "from-env"])
    #expect(file.values["URL"] == "postgresql://loader@from-env/lms")
    #expect(file.values["QUOTED"] == "from-env:5432")
    #expect(file.values["RAW"] == "${HOST}")
  }

  @Test func badLinesAreSkippedAndNumbered() {
    let file = DotEnvFile.parse(
      "GOOD=1\r\nno equals here\r\n=novalue\r\nOPEN=\"never closed\nX=2\n")
    #expect(file.values == ["GOOD": "1"])
    #expect(file.skippedLines == [2, 3, 4])
  }

  @Test func byteOrderMarkAndLastLineWins() {
    let file = DotEnvFile.parse("\u{FEFF}A=1\nA=2")
    #expect(file.values == ["A": "2"])
  }

  @Test func loadsFromADirectory() throws {
    let directory = FileManager.default.temporaryDirectory.path + "/lmsds-env-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(try DotEnvFile.load(directory: directory, environment: [:]) == DotEnvFile())
    try Data("DB_ENGINE=postgresql\n".utf8).write(to: URL(fileURLWithPath: directory + "/.env"))
    #expect(
      try DotEnvFile.load(directory: directory, environment: [:]).values == [
        "DB_ENGINE": "postgresql"
      ])
  }
}
