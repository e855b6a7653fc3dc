import Foundation

/// A directory of one test (the working directory of its runs), removed afterwards.
final class ScratchDirectory {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "lmsds-cli-\(UUID().uuidString)"
      ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func directory(_ name: String) throws -> String {
    let child = path + "/" + name
    try FileManager.default.createDirectory(atPath: child, withIntermediateDirectories: true)
    return child
  }

  func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + name) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let sampleRoot = repositoryRoot + "/samples/BestLMS"
