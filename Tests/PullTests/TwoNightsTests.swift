import Foundation
import LMSDSTestSupport
import Testing

/// Two providers pulled over two nights, each night loaded from the landing directory, end in the
/// same database as loading the server's directories themselves night by night.
@Suite(.enabled(if: SSHServer.shouldRun))
struct TwoNightsTests {
  @Test func pulledNightsLoadLikeTheServersOwnFiles() throws {
    let server = try SSHServer()
    let scratch = try ScratchDirectory()
    let remote = try scratch.directory("district")
    let landing = try scratch.directory("landing")
    let firstNight: (String) -> Bool = { $0.hasSuffix("2020-09-17-15-04-23.csv") }
    let alpha = try RemoteTree.copySample(to: remote + "/alpha", include: firstNight)
    let beta = try RemoteTree.copySample(
      to: remote + "/beta", sourceSystem: "OtherLMS", include: firstNight)
    // Not extractor output: listed, never taken.
    try RemoteTree.write("notes", to: remote + "/alpha/README.txt", age: 3600)

    func loadBoth() throws {
      for (root, database) in [(landing, "pulled.sqlite"), (remote, "direct.sqlite")] {
        let load = try LmsdsRun.run(
          ["load", "--sources", root, "--database", "sqlite:" + database, "--settle-seconds", "0"],
          in: scratch.path)
        #expect(load.status == 0, "\(load.output)")
      }
    }

    let night1 = try server.pull(remote, to: landing, in: scratch)
    #expect(night1.status == 0, "\(night1.output)")
    let counts1 = summaryCounts(night1.output)
    #expect(counts1["pulled"] == alpha.count + beta.count, "\(night1.output)")
    #expect(counts1["unrecognised"] == 1, "\(night1.output)")
    #expect(night1.output.contains("alpha/README.txt"), "\(night1.output)")
    #expect(!FileManager.default.fileExists(atPath: landing + "/alpha/README.txt"))
    for relative in alpha {
      let landed = landing + "/alpha/" + relative
      #expect(
        FileManager.default.contents(atPath: landed)
          == FileManager.default.contents(atPath: remote + "/alpha/" + relative), "\(relative)")
      #expect(
        try RemoteTree.modificationTime(landed)
          == RemoteTree.modificationTime(remote + "/alpha/" + relative), "\(relative)")
    }
    try loadBoth()

    let alphaAll = try RemoteTree.copySample(to: remote + "/alpha")
    let betaAll = try RemoteTree.copySample(to: remote + "/beta", sourceSystem: "OtherLMS")
    // copySample rewrote night 1's files with the same bytes but a new time: set it back, as an
    // extractor that leaves old files alone would.
    for relative in alpha {
      for provider in ["alpha", "beta"] {
        let path = remote + "/\(provider)/" + relative
        let landedTime = try RemoteTree.modificationTime(landing + "/\(provider)/" + relative)
        try FileManager.default.setAttributes(
          [.modificationDate: Date(timeIntervalSince1970: TimeInterval(landedTime))],
          ofItemAtPath: path)
      }
    }
    let night2 = try server.pull(remote, to: landing, in: scratch)
    #expect(night2.status == 0, "\(night2.output)")
    let counts2 = summaryCounts(night2.output)
    #expect(counts2["already"] == alpha.count + beta.count, "\(night2.output)")
    #expect(
      counts2["pulled"] == (alphaAll.count - alpha.count) + (betaAll.count - beta.count),
      "\(night2.output)")
    try loadBoth()

    let pulled = try DatabaseContent.rows(ofDatabase: scratch.path + "/pulled.sqlite")
    let direct = try DatabaseContent.rows(ofDatabase: scratch.path + "/direct.sqlite")
    #expect((pulled["LMSUser"]?.count ?? 0) > 0)
    #expect(pulled["LMSUser"]?.contains { $0.contains("OtherLMS") } == true)
    for table in DatabaseContent.tables {
      #expect(pulled[table] == direct[table], "\(table)")
    }
  }
}
