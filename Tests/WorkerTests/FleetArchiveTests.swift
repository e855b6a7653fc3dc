import Archive
import Crypto
import Foundation
import Messages
import Testing

@testable import Worker

/// Where a worker with `--archive` reads a message's bytes from.
@Suite struct FleetArchiveTests {
  static let path = "users/2024-01-01-00-00-00.csv"

  static func message(for text: String, provider: String = "canvas") -> FileMessage {
    FileMessage(
      provider: ProviderName(provider), resource: .users, relativePath: path,
      size: Int64(text.utf8.count),
      sha256: Messages.SHA256Digest(bytes: SHA256.hash(data: Data(text.utf8))),
      nameTimestamp: NameTimestamp(year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0)!,
      scanId: "s", replay: false, publishedAt: Date())
  }

  @Test func aMessageWhoseRootFileWasRewrittenOrRemovedAppliesTheArchivedBytes() throws {
    let tree = try TreeBuilder()
    let archive = FileArchive(directory: tree.root.path + "/archive")
    try tree.write("canvas", Self.path, "night one")
    let message = Self.message(for: "night one")
    // What `produce --archive` does before publishing.
    let stored = try archive.store(
      path: tree.provider("canvas") + "/" + Self.path, identity: message.identity,
      size: message.size)
    guard case .archived(let copy) = stored else {
      Issue.record("the producer's copy is kept")
      return
    }
    let verifier = FileVerifier(archive: archive)
    let root = tree.provider("canvas")

    try tree.write("canvas", Self.path, "night two, rewritten under the same name")
    #expect(verifier.verify(message, root: root) == .verified(absolutePath: copy))
    #expect(try String(contentsOfFile: copy, encoding: .utf8) == "night one")
    try tree.remove("canvas", Self.path)
    #expect(verifier.verify(message, root: root) == .verified(absolutePath: copy))
    // Without the archive, the same message no longer verifies.
    guard case .mismatch = FileVerifier().verify(message, root: root) else {
      Issue.record("a removed root file does not verify without the archive")
      return
    }
  }

  @Test func bytesReadFromTheRootAreArchivedAndAppliedFromTheCopy() throws {
    let tree = try TreeBuilder()
    let archive = FileArchive(directory: tree.root.path + "/archive")
    try tree.write("canvas", Self.path, "from the root")
    let message = Self.message(for: "from the root")
    let verifier = FileVerifier(archive: archive)
    let verdict = verifier.verify(message, root: tree.provider("canvas"))
    let copy = try #require(archive.path(for: message.identity))
    #expect(verdict == .verified(absolutePath: copy))
    #expect(try String(contentsOfFile: copy, encoding: .utf8) == "from the root")

    // A root file that no longer matches and is not archived stays a mismatch (retried, then
    // rejected, as without an archive), and nothing is archived under the message's digest.
    let other = Self.message(for: "what the producer hashed")
    guard case .mismatch = verifier.verify(other, root: tree.provider("canvas")) else {
      Issue.record("bytes that do not match the message are never applied")
      return
    }
    #expect(archive.held(other.identity, size: other.size) == nil)
  }

  @Test func aMessagePathThatLeavesTheRootIsRefusedEvenWithAnArchive() throws {
    let tree = try TreeBuilder()
    let archive = FileArchive(directory: tree.root.path + "/archive")
    try tree.write("canvas", Self.path, "x")
    var message = Self.message(for: "x")
    // Held by digest: the path is checked all the same, since the ledger row would carry it.
    _ = try archive.store(
      path: tree.provider("canvas") + "/" + Self.path, identity: message.identity,
      size: message.size)
    message.relativePath = "../canvas/" + Self.path
    guard
      case .refused = FileVerifier(archive: archive).verify(message, root: tree.provider("canvas"))
    else {
      Issue.record("a path leaving the root is refused")
      return
    }
  }
}
