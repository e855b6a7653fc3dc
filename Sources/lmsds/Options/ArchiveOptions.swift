import Archive
import ArgumentParser
import Foundation

/// `--archive DIR` of `load`, `produce`, `work` and `replay` (also LMSDS_ARCHIVE).
struct ArchiveOptions: ParsableArguments {
  static let variable = "LMSDS_ARCHIVE"

  @Option(
    name: .customLong("archive"),
    help: ArgumentHelp(
      "Keep every file's bytes under DIR/<provider>/…/<sha256> and apply from there (also LMSDS_ARCHIVE).",
      valueName: "DIR"))
  var directory: String?

  var archive: FileArchive? {
    // An empty variable means none, as for the other settings.
    guard let path = directory ?? ProcessInfo.processInfo.environment[Self.variable],
      !path.isEmpty
    else { return nil }
    return FileArchive(directory: path)
  }

  /// The archive of a run that stores files (`load`, `produce`, `work`), its directory created
  /// when missing; status 1 naming the path when it cannot be used, before any work starts.
  func prepared() throws -> FileArchive? {
    guard let archive else { return nil }
    do {
      try archive.prepare()
    } catch {
      throw CommandFailure(
        status: .failure,
        message: "--archive \(archive.directory) (or \(Self.variable)) cannot take files: \(error)")
    }
    return archive
  }
}
