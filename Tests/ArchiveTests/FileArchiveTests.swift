import Archive
import Crypto
import Foundation
import LMSDSTestSupport
import Messages
import Testing

/// Storing and finding bytes by digest.
@Suite struct FileArchiveTests {
  static func digest(_ text: String) -> Messages.SHA256Digest {
    Messages.SHA256Digest(bytes: SHA256.hash(data: Data(text.utf8)))
  }

  @Test func storesByDigestOnceAndFindsTheCopy() throws {
    let scratch = try ScratchDirectory(prefix: "archive")
    let source = scratch.path + "/a.csv"
    try "hello".write(toFile: source, atomically: true, encoding: .utf8)
    let archive = FileArchive(directory: scratch.path + "/archive")
    let identity = FileIdentity(
      provider: "canvas", relativePath: "users/2024-01-01-00-00-00.csv",
      sha256: Self.digest("hello"))
    let stored = try archive.store(path: source, identity: identity, size: 5)
    let expected =
      "\(scratch.path)/archive/canvas/\(identity.sha256.hex.prefix(2))/\(identity.sha256)"
    #expect(stored == .archived(path: expected))
    #expect(try String(contentsOfFile: expected, encoding: .utf8) == "hello")
    #expect(archive.held(identity, size: 5) == expected)
    #expect(archive.held(identity, size: 6) == nil)
    // Rewritten at the root: the archive keeps what was stored.
    try "other".write(toFile: source, atomically: true, encoding: .utf8)
    #expect(
      try archive.store(path: source, identity: identity, size: 5) == .archived(path: expected))
    #expect(try String(contentsOfFile: expected, encoding: .utf8) == "hello")
    #expect(try archive.list().map(\.path) == [expected])
  }

  @Test func storingAgainRedatesTheCopySoAPruneListedBeforeKeepsIt() throws {
    let scratch = try ScratchDirectory(prefix: "archive")
    let source = scratch.path + "/a.csv"
    try "hello".write(toFile: source, atomically: true, encoding: .utf8)
    let archive = FileArchive(directory: scratch.path + "/archive")
    let identity = FileIdentity(
      provider: "canvas", relativePath: "users/2024-01-01-00-00-00.csv",
      sha256: Self.digest("hello"))
    _ = try archive.store(path: source, identity: identity, size: 5)
    let copy = try #require(archive.path(for: identity))
    let longAgo = Date(timeIntervalSinceNow: -90 * 86_400)
    try FileManager.default.setAttributes([.modificationDate: longAgo], ofItemAtPath: copy)
    let listed = try archive.list()
    #expect(listed.first?.storedAt ?? Date() < Date(timeIntervalSinceNow: -86_400))

    // A run relies on the copy again after prune listed it: prune must not take it.
    _ = try archive.store(path: source, identity: identity, size: 5)
    let cutoff = Date(timeIntervalSinceNow: -86_400)
    #expect(try archive.remove(listed, storedBefore: cutoff).count == 0)
    #expect(archive.held(identity, size: 5) == copy)

    try FileManager.default.setAttributes([.modificationDate: longAgo], ofItemAtPath: copy)
    #expect(try archive.remove(listed, storedBefore: cutoff).count == 1)
    #expect(archive.held(identity, size: 5) == nil)
  }

  @Test func refusesBytesThatDoNotMatchAndLeavesNothing() throws {
    let scratch = try ScratchDirectory(prefix: "archive")
    let source = scratch.path + "/a.csv"
    try "changed".write(toFile: source, atomically: true, encoding: .utf8)
    let archive = FileArchive(directory: scratch.path + "/archive")
    let identity = FileIdentity(
      provider: "canvas", relativePath: "users/2024-01-01-00-00-00.csv",
      sha256: Self.digest("hello"))
    guard case .changed = try archive.store(path: source, identity: identity, size: 5) else {
      Issue.record("a copy that does not hash to its name must not be kept")
      return
    }
    #expect(try archive.list().isEmpty)
  }

  @Test func namesFromTheNetworkNeverLeaveTheDirectory() {
    let archive = FileArchive(directory: "/archive")
    let sha = Self.digest("x")
    #expect(archive.path(for: FileIdentity(provider: "..", relativePath: "a", sha256: sha)) == nil)
    #expect(archive.path(for: FileIdentity(provider: "a/b", relativePath: "a", sha256: sha)) == nil)
    // A digest that is not 64 lower-case hexadecimal digits never becomes an identity at all.
    #expect(Messages.SHA256Digest(hex: "../../etc") == nil)
    #expect(Messages.SHA256Digest(hex: sha.hex.uppercased()) == nil)
  }
}
