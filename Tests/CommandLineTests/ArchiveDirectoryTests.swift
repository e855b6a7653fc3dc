import Foundation
import LMSDSTestSupport
import Testing

/// `--archive DIR` at the start of `load` and `work`: a missing directory is created, one that
/// cannot be stops the run at once with status 1, naming it.
struct ArchiveDirectoryTests {
  @Test func loadCreatesAMissingArchiveDirectoryBeforeStoringAnything() throws {
    let scratch = try ScratchDirectory(prefix: "archive-directory")
    let sources = try scratch.directory("sources")
    // Relative, as given: from the working directory. An empty root stores no file, so only the
    // start-up creates the directory.
    let run = try LmsdsRun.run(
      [
        "load", "--sources", sources, "--database", "sqlite:lms.sqlite", "--archive",
        "volume/archive",
      ], in: scratch.path)
    let archive = scratch.path + "/volume/archive"
    #expect(run.status == 0 || run.status == 3, "\(run.output)")
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: archive, isDirectory: &isDirectory))
    #expect(isDirectory.boolValue, "\(run.output)")
  }

  @Test func workRefusesAnArchiveItCannotCreateBeforeReachingTheBrokers() throws {
    let scratch = try ScratchDirectory(prefix: "archive-directory")
    let sources = try scratch.directory("sources")
    let blocker = scratch.path + "/blocker"
    try "a file".write(toFile: blocker, atomically: true, encoding: .utf8)
    let archive = blocker + "/archive"
    // Nothing listens on port 1: had the broker been asked first, its error would show instead.
    let started = Date()
    let run = try LmsdsRun.run(
      [
        "work", "--sources", sources, "--brokers", "127.0.0.1:1", "--database", "sqlite:lms.sqlite",
      ],
      in: scratch.path, environment: ["LMSDS_ARCHIVE": archive], timeout: 60)
    #expect(run.status == 1, "\(run.output)")
    #expect(run.standardError.contains("--archive \(archive) (or LMSDS_ARCHIVE)"), "\(run.output)")
    #expect(!run.standardError.contains("Kafka"), "\(run.output)")
    #expect(Date().timeIntervalSince(started) < 10, "\(run.output)")
  }
}
