import Foundation
import Messages
import Testing

@testable import Worker

/// A message's path never leads outside the provider's root.
@Suite struct FleetSourcePathTests {
  @Test func lexicalRules() {
    #expect(SourcePath.lexicalProblem("users/2024-01-01-00-00-00.csv") == nil)
    #expect(SourcePath.lexicalProblem("/etc/passwd") != nil)
    #expect(SourcePath.lexicalProblem("users/../../x.csv") != nil)
    #expect(SourcePath.lexicalProblem("./users/a.csv") != nil)
    #expect(SourcePath.lexicalProblem("users//a.csv") != nil)
    #expect(SourcePath.lexicalProblem("") != nil)
  }

  @Test func linksAreFollowedOnlyInsideTheRoot() throws {
    let tree = try TreeBuilder()
    let inside = try tree.write("p", "users/2024-01-01-00-00-00.csv", "x")
    let outside = try tree.write("elsewhere", "secret.csv", "y")
    let root = tree.provider("p")
    #expect(
      SourcePath.resolve("users/2024-01-01-00-00-00.csv", under: root)
        == .inside(SourcePath.realPath(inside)!))

    let fm = FileManager.default
    try fm.createDirectory(atPath: root + "/sections", withIntermediateDirectories: true)
    try fm.createSymbolicLink(
      atPath: root + "/sections/2024-01-01-00-00-00.csv", withDestinationPath: outside)
    guard case .refused = SourcePath.resolve("sections/2024-01-01-00-00-00.csv", under: root) else {
      Issue.record("a link out of the root must be refused")
      return
    }
    // A link to a file inside the root is fine.
    try fm.createSymbolicLink(
      atPath: root + "/sections/2024-01-02-00-00-00.csv", withDestinationPath: inside)
    #expect(
      SourcePath.resolve("sections/2024-01-02-00-00-00.csv", under: root)
        == .inside(SourcePath.realPath(inside)!))
    // A directory link out of the root is refused too.
    try fm.createSymbolicLink(
      atPath: root + "/section=1", withDestinationPath: tree.provider("elsewhere"))
    guard case .refused = SourcePath.resolve("section=1/secret.csv", under: root) else {
      Issue.record("a directory link out of the root must be refused")
      return
    }
    guard case .missing = SourcePath.resolve("users/2024-02-02-00-00-00.csv", under: root) else {
      Issue.record("a missing file is worth another look")
      return
    }
    guard case .refused = SourcePath.resolve("../elsewhere/secret.csv", under: root) else {
      Issue.record("'..' must be refused")
      return
    }
  }

  @Test func theResolverParksAProviderWithoutRootAndDeadLettersGarbage() throws {
    let tree = try TreeBuilder()
    try tree.write("canvas", "users/2024-01-01-00-00-00.csv", "x")
    let resolver = MessageResolver(sourcesDirectory: tree.root.path)
    func message(_ provider: String, replay: Bool = false) -> FileMessage {
      FileMessage(
        provider: ProviderName(provider), resource: .users,
        relativePath: "users/2024-01-01-00-00-00.csv",
        size: 1, sha256: .repeating("a"),
        nameTimestamp: NameTimestamp(year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0)!,
        scanId: "s", replay: replay, publishedAt: Date())
    }
    guard case .file(_, let root, let force) = resolver.resolve(message("canvas").encode()) else {
      Issue.record("a known provider resolves")
      return
    }
    #expect(root == tree.provider("canvas"))
    #expect(!force)
    guard case .park(let reason) = resolver.resolve(message("moodle").encode()) else {
      Issue.record("a provider without a root must park its partition")
      return
    }
    #expect(reason.kind == .noSourceRoot)
    #expect(reason.detail.contains("moodle"))
    guard case .deadLetter = resolver.resolve(Array("not json".utf8)) else {
      Issue.record("garbage goes to the dead-letter topic")
      return
    }
    guard case .deadLetter = resolver.resolve(message("..").encode()) else {
      Issue.record("a provider that is a path goes to the dead-letter topic")
      return
    }
    var newer = String(decoding: message("canvas").encode(), as: UTF8.self)
    newer = newer.replacingOccurrences(of: "\"version\":\"1.0\"", with: "\"version\":\"2.0\"")
    guard case .park(let newerReason) = resolver.resolve(Array(newer.utf8)) else {
      Issue.record("a newer major version must park its partition, not be skipped")
      return
    }
    #expect(newerReason.kind == .unsupportedVersion)
    #expect(newerReason.detail.contains("2.0"))
    // A forced replay is marked by "force": true beside "replay": true.
    var forced = String(decoding: message("canvas", replay: true).encode(), as: UTF8.self)
    forced = forced.replacingOccurrences(of: "{", with: "{\"force\":true,")
    guard case .file(_, _, let isForced) = resolver.resolve(Array(forced.utf8)) else {
      Issue.record("a forced replay resolves")
      return
    }
    #expect(isForced)
  }

  @Test func aBatchLooksAtEachRootOnceAndSeesItAgainWhenAskedAfresh() throws {
    let tree = try TreeBuilder()
    try tree.write("canvas", "users/2024-01-01-00-00-00.csv", "x")
    let resolver = MessageResolver(sourcesDirectory: tree.root.path)
    let message = FileMessage(
      provider: ProviderName("canvas"), resource: .users,
      relativePath: "users/2024-01-01-00-00-00.csv", size: 1, sha256: .repeating("a"),
      nameTimestamp: NameTimestamp(year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0)!,
      scanId: "s", replay: false, publishedAt: Date())
    let decoded = resolver.decode(message.encode())
    var roots = ProviderRoots()
    guard case .file(_, let root, _) = resolver.resolve(decoded, roots: &roots) else {
      Issue.record("a known provider resolves")
      return
    }
    let verifier = FileVerifier()
    let path = try #require(SourcePath.realPath(root + "/users/2024-01-01-00-00-00.csv"))
    #expect(verifier.verify(message, root: root, roots: &roots) == .verified(absolutePath: path))

    // The root unmounted mid-batch: this batch still holds what it saw (the file itself is
    // looked at every time), a fresh lookup sees the root gone.
    try FileManager.default.moveItem(atPath: root, toPath: root + ".away")
    guard case .file = resolver.resolve(decoded, roots: &roots) else {
      Issue.record("the batch keeps its look at the root")
      return
    }
    guard case .mismatch = verifier.verify(message, root: root, roots: &roots) else {
      Issue.record("a file gone with its root is missing")
      return
    }
    var fresh = ProviderRoots()
    guard case .park(let reason) = resolver.resolve(decoded, roots: &fresh) else {
      Issue.record("a root gone parks the partition")
      return
    }
    #expect(reason.kind == .noSourceRoot)
    #expect(fresh.realPath(of: root) == nil)
    guard case .unusable = resolver.decode(Array("not json".utf8)) else {
      Issue.record("garbage decodes as unusable")
      return
    }
  }
}
