import Foundation

/// A directory of one test (the working directory of its runs, its trees and databases), removed
/// afterwards.
public final class ScratchDirectory {
  public let path: String

  /// `prefix` names the directory, so that one a crashed test left behind says whose it was.
  public init(prefix: String = "lmsds-test") throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "\(prefix)-\(UUID().uuidString)"
      ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  public func directory(_ name: String) throws -> String {
    let child = path + "/" + name
    try FileManager.default.createDirectory(atPath: child, withIntermediateDirectories: true)
    return child
  }

  public func exists(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: path + "/" + name)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
