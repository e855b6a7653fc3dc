import Foundation
import LMSDSTestSupport
import Testing

/// A root with nothing to load ends with status 3 and what to do, instead of looking like a night
/// with no new files.
struct EmptyRootTests {
  func load(_ arguments: [String], _ scratch: ScratchDirectory) throws -> LmsdsRun {
    try LmsdsRun.run(
      ["load"] + arguments + ["--database", "sqlite:lms.sqlite", "--settle-seconds", "0"],
      in: scratch.path)
  }

  @Test func anEmptyCsvpath() throws {
    let scratch = try ScratchDirectory()
    let empty = try scratch.directory("canvas")
    let run = try load(["--csvpath", empty], scratch)
    #expect(run.status == 3, "\(run.output)")
    #expect(run.output.contains("holds no .csv file"), "\(run.output)")
  }

  @Test func aCsvpathOneLevelTooHighPointsToSources() throws {
    let scratch = try ScratchDirectory()
    let parent = URL(fileURLWithPath: sampleRoot).deletingLastPathComponent().path
    let run = try load(["--csvpath", parent], scratch)
    #expect(run.status == 3, "\(run.output)")
    #expect(
      run.standardOutput.contains("BestLMS looks like a provider root: use --sources \(parent)"),
      "\(run.output)")
  }

  @Test func anEmptySources() throws {
    let scratch = try ScratchDirectory()
    let empty = try scratch.directory("roots")
    let run = try load(["--sources", empty], scratch)
    #expect(run.status == 3, "\(run.output)")
    #expect(run.output.contains("holds no provider directory"), "\(run.output)")
  }

  @Test func sourcesGivenOneProvidersRootPointsToCsvpath() throws {
    let scratch = try ScratchDirectory()
    let run = try load(["--sources", sampleRoot], scratch)
    #expect(run.status == 3, "\(run.output)")
    #expect(run.output.contains("use --csvpath \(sampleRoot)"), "\(run.output)")
  }

  @Test func aRootWithFilesToLoadIsNotFlagged() throws {
    let scratch = try ScratchDirectory()
    let run = try load(["--csvpath", sampleRoot], scratch)
    #expect(!run.output.contains("nothing to load"), "\(run.output)")
    // Loading it again finds only known files: still a root with files, still no flag.
    let again = try load(["--csvpath", sampleRoot], scratch)
    #expect(again.status == 0, "\(again.output)")
    #expect(!again.output.contains("nothing to load"), "\(again.output)")
  }
}
