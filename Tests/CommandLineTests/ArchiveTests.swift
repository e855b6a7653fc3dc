import Foundation
import LMSDSTestSupport
import Testing

/// `load --archive` and `archive prune`, as users run them.
struct LoadArchiveTests {
  static func sha256(of path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: output, as: UTF8.self).prefix(64))
  }

  static func archived(_ archive: String, _ provider: String, _ sha: String) -> String {
    "\(archive)/\(provider)/\(sha.prefix(2))/\(sha)"
  }

  static func files(under directory: String) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: directory)
    var found: [String] = []
    while let name = enumerator?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        found.append(name)
      }
    }
    return found
  }

  @Test func everyLoadedOrRejectedFileHasItsBytesArchivedAndPruneKeepsEachScopesNewest() throws {
    let scratch = try ScratchDirectory(prefix: "load-archive")
    let root = try scratch.directory("roots") + "/BestLMS"
    try FileManager.default.copyItem(atPath: sampleRoot, toPath: root)
    let archive = scratch.path + "/archive"
    let database = ["--database", "sqlite:lms.sqlite"]
    let load = try LmsdsRun.run(
      ["load", "-c", root, "--settle-seconds", "0"] + database, in: scratch.path,
      environment: ["LMSDS_ARCHIVE": archive])
    #expect(load.status == 0 || load.status == 3, "\(load.output)")

    let ledger = try LmsdsRun.run(
      ["ledger", "--format", "json", "--limit", "0"] + database, in: scratch.path)
    let entries = try ledger.standardOutput.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(entries.count == Self.files(under: sampleRoot).count)
    for entry in entries where ["loaded", "rejected"].contains(entry["outcome"] as? String) {
      let sha = try #require(entry["sha256"] as? String)
      let copy = Self.archived(archive, "BestLMS", sha)
      #expect(try Self.sha256(of: copy) == sha, "\(entry["path"] ?? "")")
    }
    let distinct = Set(entries.compactMap { $0["sha256"] as? String })
    #expect(Self.files(under: archive).count == distinct.count)

    // The extractor rotates its output away; only the archive holds the bytes now.
    try FileManager.default.removeItem(atPath: root)
    // Just stored: even --older-than 0 leaves them to runs that may be about to need them.
    let early = try LmsdsRun.run(
      ["archive", "prune", "--archive", archive, "--older-than", "0"] + database, in: scratch.path)
    #expect(early.status == 0, "\(early.output)")
    #expect(Self.files(under: archive).count == distinct.count, "\(early.output)")
    // Stored two hours ago: past the hour prune always leaves to runs in flight.
    for name in Self.files(under: archive) {
      try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: archive + "/" + name)
    }
    let dry = try LmsdsRun.run(
      ["archive", "prune", "--archive", archive, "--older-than", "0", "--dry-run"] + database,
      in: scratch.path)
    #expect(dry.status == 0, "\(dry.output)")
    #expect(Self.files(under: archive).count == distinct.count)

    let prune = try LmsdsRun.run(
      ["archive", "prune", "--older-than", "0"] + database, in: scratch.path,
      environment: ["LMSDS_ARCHIVE": archive])
    #expect(prune.status == 0, "\(prune.output)")
    // In this tree each directory is one (resource, scope): the newest loaded name of each
    // must still have its bytes, and nothing else is kept.
    var newest: [String: (name: String, sha: String)] = [:]
    for entry in entries where entry["outcome"] as? String == "loaded" {
      let path = try #require(entry["path"] as? String)
      let folder = (path as NSString).deletingLastPathComponent.lowercased()
      let name = (path as NSString).lastPathComponent
      if let current = newest[folder], current.name > name { continue }
      newest[folder] = (name, try #require(entry["sha256"] as? String))
    }
    let kept = Set(newest.values.map { Self.archived(archive, "BestLMS", $0.sha) })
    let remaining = Set(Self.files(under: archive).map { archive + "/" + $0 })
    #expect(remaining == kept, "\(prune.output)")
    #expect(
      prune.standardOutput.contains("\(kept.count) newest applied snapshots"), "\(prune.output)")
  }

  @Test func pruneNeedsAnArchive() throws {
    let scratch = try ScratchDirectory(prefix: "prune-usage")
    let run = try LmsdsRun.run(
      ["archive", "prune", "--older-than", "30", "--database", "sqlite:lms.sqlite"],
      in: scratch.path)
    #expect(run.status == 2, "\(run.output)")
    #expect(run.output.contains("--archive"), "\(run.output)")
  }
}
