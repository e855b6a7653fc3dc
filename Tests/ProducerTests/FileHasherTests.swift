import Foundation
import Messages
import Testing

@testable import ExtractorTree

@Suite struct FileHasherTests {
  @Test func knownDigests() throws {
    let tree = try TemporaryTree()
    let abc = try tree.write("abc", "abc")
    let empty = try tree.write("empty", "")
    #expect(try FileHasher.sha256(path: abc) == (abcSHA256, 3))
    #expect(
      try FileHasher.sha256(path: empty)
        == (
          SHA256Digest(hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")!, 0
        ))
  }

  /// The FIPS 180-2 vector (a million `a`), and the same bytes three times over so the digest
  /// spans several 1 MiB reads.
  @Test func digestsAcrossChunks() throws {
    let tree = try TemporaryTree()
    let million = try tree.write("million", String(repeating: "a", count: 1_000_000))
    #expect(
      try FileHasher.sha256(path: million)
        == (
          SHA256Digest(hex: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")!,
          1_000_000
        ))
    let large = try tree.write(
      "large", String(repeating: "a", count: 3 * FileHasher.chunkSize + 17))
    let digest = try FileHasher.sha256(path: large)
    #expect(digest.size == Int64(3 * FileHasher.chunkSize + 17))
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
      process.arguments = [large]
      let pipe = Pipe()
      process.standardOutput = pipe
      try process.run()
      let output = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      #expect(String(decoding: output.prefix(64), as: UTF8.self) == digest.digest.hex)
    }
  }

  @Test func missingFileNamesThePath() throws {
    let error = #expect(throws: FileHashError.self) {
      try FileHasher.sha256(path: "/nonexistent/lmsds/file.csv")
    }
    #expect(error?.description.contains("/nonexistent/lmsds/file.csv") == true)
  }
}
