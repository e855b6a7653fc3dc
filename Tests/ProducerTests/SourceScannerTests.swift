import Foundation
import Messages
import Testing

@testable import ExtractorTree

private func relativePaths(_ result: ScanResult) -> [String] { result.files.map(\.relativePath) }

private func scanOne(
  _ tree: TemporaryTree, provider: String = "p", settle: TimeInterval = 30, now: Date = Date(),
  known: SourceScanner.KnownHash? = nil
) throws -> ScanResult {
  try SourceScanner(settleSeconds: settle).scan(
    [SourceRoot(provider: ProviderName(provider), path: tree.path)], now: now, knownSHA256: known)
}

@Suite struct SourceScannerTests {
  @Test func ordersByRankThenTimestampThenPath() throws {
    let tree = try TemporaryTree()
    // Written out of order on purpose; sections are older than users.
    for path in [
      "system-activities/date=2021-01-01/2021-01-02-00-00-00.csv",
      "section=b/grades/2021-01-02-00-00-00.csv",
      "section=b/assignment=x/submissions/2021-01-01-00-00-00.csv",
      "section=b/assignments/2021-01-02-00-00-00.csv",
      "section=a/assignments/2021-01-02-00-00-00.csv",
      "section=B/assignments/2021-01-01-00-00-00.csv",
      "section=a/section-associations/2021-01-03-00-00-00.csv",
      "section=a/attendance-events/2021-01-01-00-00-00.csv",
      "section=a/section-activities/2021-01-01-00-00-00.csv",
      "sections/2020-12-01-00-00-00.csv",
      "sections/2021-01-02-00-00-00.csv",
      "users/2021-01-03-00-00-00.csv",
      "users/2021-01-01-00-00-00.csv",
      "users/2021-01-02-00-00-00.csv",
    ] {
      try tree.write(path)
    }
    let result = try scanOne(tree)
    #expect(
      relativePaths(result) == [
        "users/2021-01-01-00-00-00.csv",
        "users/2021-01-02-00-00-00.csv",
        "users/2021-01-03-00-00-00.csv",
        "sections/2020-12-01-00-00-00.csv",
        "sections/2021-01-02-00-00-00.csv",
        "section=a/section-associations/2021-01-03-00-00-00.csv",
        "section=B/assignments/2021-01-01-00-00-00.csv",
        "section=a/assignments/2021-01-02-00-00-00.csv",
        "section=b/assignments/2021-01-02-00-00-00.csv",
        "section=b/assignment=x/submissions/2021-01-01-00-00-00.csv",
        "section=a/attendance-events/2021-01-01-00-00-00.csv",
        "section=a/section-activities/2021-01-01-00-00-00.csv",
        "section=b/grades/2021-01-02-00-00-00.csv",
        "system-activities/date=2021-01-01/2021-01-02-00-00-00.csv",
      ])
    #expect(result.unrecognized.isEmpty)
    #expect(result.unsettled.isEmpty)
    #expect(result.files.allSatisfy { $0.provider == "p" && $0.rootPath == tree.path })
    #expect(result.files[0].absolutePath == tree.path + "/users/2021-01-01-00-00-00.csv")
    #expect(result.files[0].size == 4)
  }

  @Test func pathsCompareByBytes() throws {
    let tree = try TemporaryTree()
    // By bytes "Z" (0x5A) < "a" < "é" (0xC3…); a locale-aware sort would differ.
    for id in ["é", "a", "Z"] { try tree.write("section=\(id)/grades/2021-01-01-00-00-00.csv") }
    #expect(
      relativePaths(try scanOne(tree)) == [
        "section=Z/grades/2021-01-01-00-00-00.csv",
        "section=a/grades/2021-01-01-00-00-00.csv",
        "section=é/grades/2021-01-01-00-00-00.csv",
      ])
  }

  @Test func directoryNamesAndExtensionMatchInAnyCase() throws {
    let tree = try TemporaryTree()
    try tree.write("USERS/2021-01-01-00-00-00.CSV")
    try tree.write("Section=S1/Assignment=A1/Submissions/2021-01-01-00-00-00.Csv")
    try tree.write("System-Activities/DATE=2021-01-01/2021-01-01-00-00-00.csv")
    let result = try scanOne(tree)
    #expect(result.files.map(\.location.resource) == [.users, .submissions, .systemActivities])
    #expect(result.files[1].location.sectionID == "S1")
    #expect(result.files[1].location.assignmentID == "A1")
  }

  @Test func otherCSVFilesAreReportedAndOthersIgnored() throws {
    let tree = try TemporaryTree()
    try tree.write("users/2021-01-01-00-00-00.csv")
    try tree.write("users/notes.csv")
    try tree.write("users/2021-02-30-00-00-00.csv")
    try tree.write("extra/2021-01-01-00-00-00.CSV")
    try tree.write("2021-01-01-00-00-00.csv")
    try tree.write("users/readme.txt")
    try tree.write("users/2021-01-01-00-00-00.csv.tmp")
    let result = try scanOne(tree)
    #expect(relativePaths(result) == ["users/2021-01-01-00-00-00.csv"])
    #expect(
      result.unrecognized == [
        tree.path + "/2021-01-01-00-00-00.csv",
        tree.path + "/extra/2021-01-01-00-00-00.CSV",
        tree.path + "/users/2021-02-30-00-00-00.csv",
        tree.path + "/users/notes.csv",
      ])
  }

  @Test func recentFilesWaitForTheSettleWindow() throws {
    let tree = try TemporaryTree()
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    try tree.write("users/2021-01-01-00-00-00.csv", age: 31, reference: now)
    try tree.write("users/2021-01-02-00-00-00.csv", age: 29, reference: now)
    try tree.write("users/2021-01-03-00-00-00.csv", age: -600, reference: now)  // a clock ahead
    let result = try scanOne(tree, now: now)
    #expect(relativePaths(result) == ["users/2021-01-01-00-00-00.csv"])
    #expect(
      result.unsettled == [
        tree.path + "/users/2021-01-02-00-00-00.csv", tree.path + "/users/2021-01-03-00-00-00.csv",
      ])
    let patient = try scanOne(tree, settle: 0, now: now.addingTimeInterval(601))
    #expect(patient.files.count == 3)
    #expect(patient.unsettled.isEmpty)
  }

  @Test func modificationTimeKeepsSubSecondPrecision() throws {
    let tree = try TemporaryTree()
    try tree.write("users/2021-01-01-00-00-00.csv")
    let moment = Date(timeIntervalSince1970: 1_600_000_000.123456)
    try tree.setModified("users/2021-01-01-00-00-00.csv", moment)
    let file = try #require(try scanOne(tree).files.first)
    #expect(abs(file.modifiedTime.timeIntervalSince(moment)) < 0.000_01)
    #expect(file.modifiedTime.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) > 0.1)
  }

  @Test func linksInsideTheRootAreFollowedAndOthersReported() throws {
    let outside = try TemporaryTree()
    try outside.write("users/2021-01-09-00-00-00.csv")
    let tree = try TemporaryTree()
    try tree.write("store/2021-01-01-00-00-00.csv")
    try tree.write("archive/section=S/grades/2021-01-05-00-00-00.csv")
    try tree.link("users/2021-01-01-00-00-00.csv", to: "../store/2021-01-01-00-00-00.csv")
    try tree.link("section=S", to: tree.path + "/archive/section=S")
    try tree.link(
      "sections/2021-01-01-00-00-00.csv", to: outside.path + "/users/2021-01-09-00-00-00.csv")
    try tree.link("section=T", to: outside.path + "/users")
    try tree.link("system-activities", to: "/")
    try tree.link("users/2021-01-02-00-00-00.csv", to: "missing.csv")
    try tree.link("archive/loop", to: "..")  // a cycle must end
    let result = try scanOne(tree)
    #expect(
      relativePaths(result) == [
        "users/2021-01-01-00-00-00.csv",
        "section=S/grades/2021-01-05-00-00-00.csv",
      ])
    #expect(
      result.linksOutside == [
        tree.path + "/section=T",
        tree.path + "/sections/2021-01-01-00-00-00.csv",
        tree.path + "/system-activities",
      ])
    #expect(result.unreadable == [tree.path + "/users/2021-01-02-00-00-00.csv"])
    #expect(
      result.unrecognized == [
        tree.path + "/archive/section=S/grades/2021-01-05-00-00-00.csv",
        tree.path + "/store/2021-01-01-00-00-00.csv",
      ])
  }

  @Test func rootGivenThroughALinkIsBoundedByItsTarget() throws {
    let real = try TemporaryTree()
    try real.write("users/2021-01-01-00-00-00.csv")
    let holder = try TemporaryTree()
    try holder.link("canvas", to: real.path)
    let root = try SourceRoot.csvPath(holder.path + "/canvas")
    #expect(root.provider == "canvas")
    let result = try SourceScanner().scan([root])
    #expect(result.files.map(\.relativePath) == ["users/2021-01-01-00-00-00.csv"])
    #expect(result.files[0].absolutePath == holder.path + "/canvas/users/2021-01-01-00-00-00.csv")
  }

  @Test func severalProvidersFromASourcesDirectory() throws {
    let parent = try TemporaryTree()
    for provider in ["schoology", "canvas", "google"] {
      try parent.write("\(provider)/sections/2021-01-01-00-00-00.csv")
      try parent.write("\(provider)/users/2021-01-02-00-00-00.csv")
    }
    try parent.write("stray.csv")
    try parent.directory(".snapshot/users")
    let roots = try SourceRoot.sources(in: parent.path)
    #expect(roots.map(\.provider) == ["canvas", "google", "schoology"])
    #expect(roots.map(\.path) == ["canvas", "google", "schoology"].map { parent.path + "/" + $0 })
    let result = try SourceScanner().scan(roots)
    #expect(
      result.files.map(\.provider) == [
        "canvas", "canvas", "google", "google", "schoology", "schoology",
      ])
    #expect(
      result.files.map(\.location.resource) == [
        .users, .sections, .users, .sections, .users, .sections,
      ])
  }

  @Test func knownHashesAreReused() throws {
    let tree = try TemporaryTree()
    try tree.write("users/2021-01-01-00-00-00.csv", "abc")
    try tree.write("users/2021-01-02-00-00-00.csv", "abc")
    let stored = SHA256Digest(hex: String(repeating: "f", count: 64))!
    nonisolated(unsafe) var asked: [(ProviderName, String, Int64)] = []
    let result = try scanOne(tree, provider: "canvas") { provider, path, size, _ in
      asked.append((provider, path, size))
      return path == "users/2021-01-01-00-00-00.csv" ? stored : nil
    }
    #expect(result.files.map(\.sha256) == [stored, abcSHA256])
    #expect(result.reusedHashes == 1)
    #expect(asked.map(\.0) == ["canvas", "canvas"])
    #expect(asked.map(\.1) == ["users/2021-01-01-00-00-00.csv", "users/2021-01-02-00-00-00.csv"])
    #expect(asked.map(\.2) == [3, 3])
  }

  /// Files are hashed on every core; each outcome lands at its own file's index, whatever
  /// worker read it, and a file removed or rewritten since it was seen is told apart.
  @Test func filesAreHashedSideBySideEachOutcomeInItsPlace() throws {
    let tree = try TemporaryTree()
    var files: [(path: String, status: FileSystem.Status)] = []
    for index in 0..<41 {
      let path = try tree.write(
        "section=s\(index)/section-associations/2021-01-01-00-00-00.csv", "row \(index)\n")
      files.append((path, try #require(FileSystem.status(path, followingLinks: true))))
    }
    try FileManager.default.removeItem(atPath: files[7].path)
    var grown = files[11].status
    grown.size += 1
    files[11].status = grown
    let outcomes = SourceScanner.hashAll(files)
    #expect(outcomes.count == 41)
    for (index, outcome) in outcomes.enumerated() {
      switch (index, outcome) {
      case (7, .gone), (11, .unsettled): continue
      case (_, .hashed(let digest)):
        #expect(digest == (try FileHasher.sha256(path: files[index].path)).digest, "file \(index)")
      default: Issue.record("file \(index): \(outcome)")
      }
    }
  }

  /// `lmsds load` leaves a path the ledger never saw to the read that stages it: such files are
  /// listed unhashed, in apply order, beside the hashed ones and apart from them.
  @Test func filesLeftToTheReaderAreListedUnhashed() throws {
    let tree = try TemporaryTree()
    try tree.write("sections/2021-01-01-00-00-00.csv", "abc")
    try tree.write("users/2021-01-02-00-00-00.csv", "abc")
    try tree.write("users/2021-01-01-00-00-00.csv", "abc")
    let walk = try RootWalk(SourceRoot(provider: "p", path: tree.path))
    let result = try SourceScanner(settleSeconds: 30).scan([walk], now: Date()) { _, path, _, _ in
      path.hasPrefix("users/") ? .reader : .hash
    }
    #expect(
      result.leftToReader.map(\.relativePath) == [
        "users/2021-01-01-00-00-00.csv", "users/2021-01-02-00-00-00.csv",
      ])
    #expect(result.leftToReader.map(\.size) == [3, 3])
    #expect(result.files.map(\.relativePath) == ["sections/2021-01-01-00-00-00.csv"])
    #expect(result.files.map(\.sha256) == [abcSHA256])
    #expect(result.reusedHashes == 0)
  }

  @Test func sampleTreeYieldsItsFilesInApplyOrder() throws {
    let root = try SourceRoot.csvPath(sampleTree)
    #expect(root.provider == "BestLMS")
    // The samples were copied moments ago as far as their mtimes say; settling is not the point.
    let result = try SourceScanner(settleSeconds: 0).scan([root], now: .distantFuture)
    #expect(
      result.files.map(\.relativePath) == [
        "users/2020-09-17-15-04-23.csv",
        "users/2020-09-18-15-05-01.csv",
        "users/2020-11-01-00-00-01.csv",
        "sections/2020-09-17-15-04-23.csv",
        "sections/2020-09-18-15-04-23.csv",
        "sections/2020-09-19-15-04-23.csv",
        "section=123456780/section-associations/2020-09-18-15-04-24.csv",
        "section=123456789/section-associations/2020-09-18-15-04-24.csv",
        "section=2385758954/section-associations/2020-09-18-15-04-24.csv",
        "section=123456780/assignments/2020-09-17-15-04-23.csv",
        "section=123456789/assignments/2020-09-17-15-04-23.csv",
        "section=123456780/assignments/2020-09-18-15-04-24.csv",
        "section=123456780/Assignment=2942251001/submissions/2020-09-17-15-04-23.csv",
        "section=123456789/Assignment=2942251012/submissions/2020-09-17-15-04-23.csv",
        "section=123456780/Assignment=2942251001/submissions/2020-09-18-15-04-23.csv",
        "section=2385758954/attendance-events/2020-09-17-15-04-23.csv",
        "section=2385758954/attendance-events/2020-09-18-15-04-23.csv",
        "section=2385758954/section-activities/2020-09-21-11-08-34.csv",
        "section=123456780/grades/2020-09-18-15-04-24.csv",
        "section=123456789/grades/2020-09-18-15-04-24.csv",
        "system-activities/date=2020-11-17/2020-11-18-11-16-09.csv",
      ])
    #expect(result.unrecognized.isEmpty)
    #expect(result.linksOutside.isEmpty)
    #expect(result.files.allSatisfy { $0.sha256.hex.utf8.count == 64 && $0.size > 0 })
  }

  @Test func tenThousandFilesScanQuickly() throws {
    let tree = try TemporaryTree()
    let old = Date(timeIntervalSince1970: 1_600_000_000)
    for section in 0..<1000 {
      for day in 1...10 {
        try tree.write(
          "section=\(section)/grades/2021-01-\(day < 10 ? "0" : "")\(day)-00-00-00.csv", "x",
          age: 0, reference: old)
      }
    }
    let clock = ContinuousClock()
    let started = clock.now
    let result = try scanOne(tree)
    let elapsed = clock.now - started
    #expect(result.files.count == 10_000)
    #expect(elapsed < .seconds(20))
    #expect(result.files.first?.relativePath == "section=0/grades/2021-01-01-00-00-00.csv")
    #expect(result.files.last?.relativePath == "section=999/grades/2021-01-10-00-00-00.csv")
  }

  @Test func missingRootIsAnError() throws {
    let tree = try TemporaryTree()
    let missing = SourceRoot(provider: "p", path: tree.path + "/nope")
    #expect(throws: ScanError.rootNotFound(path: tree.path + "/nope")) {
      try SourceScanner().scan([missing])
    }
    try tree.write("file")
    #expect(throws: ScanError.notADirectory(path: tree.path + "/file")) {
      try SourceScanner().scan([SourceRoot(provider: "p", path: tree.path + "/file")])
    }
  }
}

let abcSHA256 = SHA256Digest(
  hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")!

/// The Ed-Fi `docs/sample-out` tree, kept in the repository under `samples/BestLMS`.
let sampleTree: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path + "/samples/BestLMS"
}()
