import Foundation

/// Writes extractor trees for tests: a root per provider, files by relative path.
final class TreeBuilder {
  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lmsds-tree-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  /// The directory of one provider.
  func provider(_ name: String) -> String { root.appendingPathComponent(name).path }

  /// Writes `text` (or raw `bytes`) at `relativePath` under `provider`, dated an hour ago so the
  /// settle window never holds it back.
  @discardableResult
  func write(_ provider: String, _ relativePath: String, _ text: String) throws -> String {
    try write(provider, relativePath, bytes: Array(text.utf8))
  }

  @discardableResult
  func write(_ provider: String, _ relativePath: String, bytes: [UInt8]) throws -> String {
    let url = root.appendingPathComponent(provider).appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: url.path)
    return url.path
  }

  func remove(_ provider: String, _ relativePath: String) throws {
    try FileManager.default.removeItem(
      at: root.appendingPathComponent(provider).appendingPathComponent(relativePath))
  }

  /// Copies a directory tree (e.g. the bundled sample) in as a provider.
  func copy(_ source: String, as provider: String) throws {
    try FileManager.default.copyItem(
      atPath: source, toPath: root.appendingPathComponent(provider).path)
  }
}
