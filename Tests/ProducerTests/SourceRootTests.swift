import Foundation
import Messages
import Testing

@testable import ExtractorTree

@Suite struct SourceRootTests {
  @Test(arguments: [
    ("/data/canvas", "/", "canvas"),
    ("/data/canvas/", "/", "canvas"),
    ("/data/canvas/.", "/", "canvas"),
    ("/data/canvas/./", "/", "canvas"),
    ("/data//canvas//", "/", "canvas"),
    (".", "/srv/extracts/google", "google"),
    ("./", "/srv/extracts/google", "google"),
    ("canvas", "/data", "canvas"),
    ("../schoology", "/data/canvas", "schoology"),
    ("/data/canvas/..", "/", "data"),
  ])
  func providerNameRule(path: String, currentDirectory: String, expected: String) {
    #expect(
      SourceRoot.providerName(forPath: path, currentDirectory: currentDirectory)
        == ProviderName(expected))
  }

  @Test func theFileSystemRootHasNoName() {
    #expect(SourceRoot.providerName(forPath: "/", currentDirectory: "/x") == nil)
    #expect(SourceRoot.providerName(forPath: "..", currentDirectory: "/x") == nil)
    #expect(throws: ScanError.noProviderName(path: "/")) { try SourceRoot.csvPath("/") }
  }

  @Test func csvPathNamesTheRootOrTakesTheGivenName() throws {
    let tree = try TemporaryTree()
    try tree.directory("canvas")
    let named = try SourceRoot.csvPath("canvas/.", currentDirectory: tree.path)
    #expect(named == SourceRoot(provider: "canvas", path: tree.path + "/canvas"))
    let given = try SourceRoot.csvPath(tree.path + "/canvas/", provider: "district-7")
    #expect(given == SourceRoot(provider: "district-7", path: tree.path + "/canvas"))
    // `/` still works as a root when a name is given.
    #expect(try SourceRoot.csvPath("/", provider: "all").path == "/")
  }

  @Test(arguments: ["", ".", "..", "a/b", String(repeating: "x", count: 256)])
  func unusableProviderNames(name: String) throws {
    let tree = try TemporaryTree()
    #expect(throws: ScanError.invalidProviderName(name)) {
      try SourceRoot.csvPath(tree.path, provider: name)
    }
  }

  @Test func missingOrPlainFileRoots() throws {
    let tree = try TemporaryTree()
    try tree.write("plain")
    #expect(throws: ScanError.rootNotFound(path: tree.path + "/gone")) {
      try SourceRoot.csvPath(tree.path + "/gone")
    }
    #expect(throws: ScanError.notADirectory(path: tree.path + "/plain")) {
      try SourceRoot.csvPath(tree.path + "/plain")
    }
    #expect(throws: ScanError.rootNotFound(path: tree.path + "/gone")) {
      try SourceRoot.sources(in: tree.path + "/gone")
    }
  }

  @Test func sourcesFollowLinkedSubdirectories() throws {
    let mounted = try TemporaryTree()
    let parent = try TemporaryTree()
    try parent.directory("canvas")
    try parent.link("google", to: mounted.path)
    try parent.link("dangling", to: parent.path + "/missing")
    try parent.write("notes.txt")
    let roots = try SourceRoot.sources(in: parent.path)
    #expect(roots.map(\.provider) == ["canvas", "google"])
  }
}
