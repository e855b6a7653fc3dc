import Foundation

@testable import CSV

/// One record as the tests compare it.
struct Record: Equatable, CustomStringConvertible {
  var line: Int
  var fields: [String]
  var quoted: [Bool]
  var blank: Bool

  var description: String { "\(line):\(fields)\(blank ? " blank" : "")" }
}

/// The buffer sizes each input is also read with: tiny ones force refills inside fields, inside
/// multibyte characters, between CR and LF, and growth of the buffer.
let smallBufferSizes = [1, 2, 3, 7]

func readAll(_ reader: CSVReader) throws -> [Record] {
  var records: [Record] = []
  while try reader.next() {
    records.append(
      Record(
        line: reader.line,
        fields: (0..<reader.fieldCount).map { reader.field($0) },
        quoted: (0..<reader.fieldCount).map { reader.isQuoted($0) },
        blank: reader.isBlank))
  }
  return records
}

/// Writes the bytes to a temporary file and reads them back through `read(2)`.
func readThroughFile(_ bytes: [UInt8], bufferSize: Int) throws -> [Record] {
  try withTemporaryFile(bytes) { path in
    try readAll(CSVReader(path: path, bufferSize: bufferSize))
  }
}

func withTemporaryFile<R>(_ bytes: [UInt8], _ body: (String) throws -> R) throws -> R {
  let path = FileManager.default.temporaryDirectory
    .appendingPathComponent("csvtests-\(UUID().uuidString).csv").path
  try Data(bytes).write(to: URL(fileURLWithPath: path))
  defer { try? FileManager.default.removeItem(atPath: path) }
  return try body(path)
}

/// Reads the input from memory and through files with every small buffer size, requiring the
/// same records each time.
func records(_ bytes: [UInt8]) throws -> [Record] {
  let expected = try readAll(CSVReader(bytes: bytes))
  for size in smallBufferSizes + [1 << 20] {
    let got = try readThroughFile(bytes, bufferSize: size)
    guard got == expected else {
      throw Mismatch(detail: "bufferSize \(size): \(got) != \(expected)")
    }
  }
  return expected
}

func records(_ text: String) throws -> [Record] { try records(Array(text.utf8)) }

/// The error reading the input, requiring the same error with every buffer size.
func csvError(_ bytes: [UInt8]) throws -> CSVError? {
  func capture(_ read: () throws -> [Record]) throws -> CSVError? {
    do {
      _ = try read()
      return nil
    } catch let error as CSVError {
      return error
    }
  }
  let expected = try capture { try readAll(CSVReader(bytes: bytes)) }
  for size in smallBufferSizes + [1 << 20] {
    let got = try capture { try readThroughFile(bytes, bufferSize: size) }
    guard got == expected else {
      throw Mismatch(detail: "bufferSize \(size): \(String(describing: got))")
    }
  }
  return expected
}

func csvError(_ text: String) throws -> CSVError? { try csvError(Array(text.utf8)) }

struct Mismatch: Error, CustomStringConvertible {
  var detail: String
  var description: String { detail }
}
