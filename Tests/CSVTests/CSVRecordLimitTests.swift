import Foundation
import Testing

@testable import CSV

/// The reader's memory stays bounded whatever the input: a row longer than the limit is an error
/// naming where it passed the limit, and rows under it read as usual.
@Suite struct CSVRecordLimitTests {
  func file(_ bytes: [UInt8]) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("lmsds-limit-\(UUID().uuidString).csv").path
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }

  @Test func aRowWithNoLineBreakPastTheLimitIsRefused() throws {
    let path = try file(Array("a,b\n".utf8) + [UInt8](repeating: 0x78, count: 300_000))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let reader = try CSVReader(path: path, bufferSize: 4_096, maxRecordBytes: 100_000)
    #expect(try reader.next())
    let error = try #require(
      try { () throws -> CSVError? in
        do {
          while try reader.next() {}
          return nil
        } catch let error as CSVError { return error }
      }())
    #expect(error.kind == .recordTooLong)
    #expect((error.line, error.column) == (2, 100_000))
  }

  @Test func aQuotedFieldPastTheLimitIsRefused() throws {
    let path = try file(
      Array("a\n\"".utf8) + [UInt8](repeating: 0x0A, count: 50_000)
        + [UInt8](repeating: 0x79, count: 200_000) + Array("\"\n".utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let reader = try CSVReader(path: path, bufferSize: 4_096, maxRecordBytes: 100_000)
    #expect(try reader.next())
    #expect(throws: CSVError.self) { while try reader.next() {} }
  }

  @Test func rowsUnderTheLimitReadWhole() throws {
    let long = [UInt8](repeating: 0x7A, count: 90_000)
    let path = try file(Array("a,b\n".utf8) + long + Array(",1\n".utf8) + long + Array(",2".utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let reader = try CSVReader(path: path, bufferSize: 4_096, maxRecordBytes: 100_000)
    var rows = 0
    while try reader.next() {
      rows += 1
      if rows > 1 { #expect(reader.withField(0) { $0.count } == 90_000) }
    }
    #expect(rows == 3)
  }
}
