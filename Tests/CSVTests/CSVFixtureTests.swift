import Foundation
import Testing

@testable import CSV

@Suite struct CSVFixtureTests {
  static let root = "/work/shared/fixtures/lms-toolkit-sample-out"

  static func fixtureFiles() -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    return walker.compactMap { $0 as? String }.filter { $0.lowercased().hasSuffix(".csv") }.sorted()
  }

  @Test func everySampleFileParses() throws {
    let files = Self.fixtureFiles()
    try #require(!files.isEmpty, "fixtures not found under \(Self.root)")
    for file in files {
      let path = "\(Self.root)/\(file)"
      let reader = try CSVReader(path: path, bufferSize: 4096)
      var headerCount = 0
      while try reader.next() {
        if reader.isBlank { continue }
        if headerCount == 0 {
          headerCount = reader.fieldCount
          let names = (0..<reader.fieldCount).map { reader.field($0) }
          #expect(names.contains("SourceSystemIdentifier"), "\(file)")
          #expect(!names[0].hasPrefix("\u{FEFF}"), "\(file)")
        } else {
          #expect(reader.fieldCount == headerCount, "\(file) line \(reader.line)")
        }
      }
      // The same file read from memory and through a tiny buffer gives the same records.
      let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
      #expect(
        try readAll(CSVReader(bytes: bytes)) == readThroughFile(bytes, bufferSize: 7), "\(file)")
    }
  }
}
