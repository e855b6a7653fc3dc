import Foundation
import Store
import Testing
import Worker

/// A users file of a million rows loads exactly: every row read, inserted and stored once.
@Suite struct LargeFileTests {
  static let rowCount = 1_000_000

  /// Writes `rows` users as one CSV file, building the bytes in chunks.
  static func writeUsers(rows: Int, to path: String, renamedEvery: Int? = nil) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    var chunk: [UInt8] = []
    chunk.reserveCapacity(1 << 22)
    chunk += Array((CSVFile.usersHeader + "\n").utf8)
    let tail = Array(",2021-01-01 00:00:00,2021-01-01 00:00:00\n".utf8)
    let middle = Array(",BIG,student,User ".utf8)
    let renamed = Array(",BIG,student,Renamed ".utf8)
    let email = Array("@example.org".utf8)
    var digits = [UInt8](repeating: 0, count: 20)
    func appendNumber(_ value: Int) {
      var value = value
      var count = 0
      repeat {
        digits[count] = UInt8(48 + value % 10)
        value /= 10
        count += 1
      } while value > 0
      for index in stride(from: count - 1, through: 0, by: -1) { chunk.append(digits[index]) }
    }
    for row in 1...rows {
      chunk.append(0x75)  // u
      appendNumber(row)
      if let every = renamedEvery, row % every == 0 { chunk += renamed } else { chunk += middle }
      appendNumber(row)
      chunk.append(0x2C)
      chunk.append(0x75)
      appendNumber(row)
      chunk += email
      chunk += tail
      if chunk.count >= 1 << 22 {
        handle.write(Data(chunk))
        chunk.removeAll(keepingCapacity: true)
      }
    }
    handle.write(Data(chunk))
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: path)
  }

  @Test(.timeLimit(.minutes(10)), arguments: TestDatabase.available.filter(\.setBased))
  func aMillionRowUsersFileLoads(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let clock = ContinuousClock()
    let started = clock.now
    try Self.writeUsers(rows: Self.rowCount, to: tree.provider("BIG") + "/users/\(Stamp.t0)")
    let written = clock.now
    let summary = try load(database, provider: "BIG", in: tree)
    let loaded = clock.now
    #expect(summary.count(.loaded) == 1 && summary.count(.rejected) == 0)
    let file = try entry(database, "users/\(Stamp.t0)")
    #expect(file?.counts.rowsRead == Self.rowCount)
    #expect(file?.counts.inserted == Self.rowCount)
    #expect(file?.counts.invalid == 0 && file?.counts.softDeleted == 0)
    #expect(try database.count("LMSUser") == Self.rowCount)
    #expect(
      try database.count(
        "LMSUser", where: "SourceSystemIdentifier = 'u1000000' AND Name = 'User 1000000'") == 1)

    // The next night: every thousandth user renamed, the last 1,000 gone.
    try Self.writeUsers(
      rows: Self.rowCount - 1_000, to: tree.provider("BIG") + "/users/\(Stamp.t1)",
      renamedEvery: 1_000)
    let second = try load(database, provider: "BIG", in: tree)
    let merged = clock.now
    #expect(second.count(.loaded) == 1)
    let next = try entry(database, "users/\(Stamp.t1)")
    #expect(next?.counts.rowsRead == Self.rowCount - 1_000)
    #expect(next?.counts.updated == 999)
    #expect(next?.counts.unchanged == Self.rowCount - 1_000 - 999)
    #expect(next?.counts.softDeleted == 1_000)
    #expect(try database.count("LMSUser") == Self.rowCount)
    #expect(try database.count("LMSUser", where: "DeletedAt IS NOT NULL") == 1_000)
    #expect(try database.count("LMSUser", where: "Name LIKE 'Renamed %'") == 999)
    print(
      "LargeFileTests[\(kind)]: write \(written - started), first load \(loaded - written), second load \(merged - loaded)"
    )
  }
}
