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
}
