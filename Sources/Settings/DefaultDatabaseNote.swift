import Foundation
import Store

extension ResolvedSettings {
  /// The line a run prints when it fell back to the built-in database because nothing chose one:
  /// a cron job without the shell's variables would otherwise load into a file nobody reads.
  /// nil when the database was configured.
  public func defaultDatabaseNote(
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) -> String? {
    guard databaseSource == .defaultValue else { return nil }
    var shown = database.redactedDescription
    if case .sqlite(let path) = database, !path.hasPrefix("/"), path != ":memory:" {
      shown =
        "sqlite:"
        + URL(
          fileURLWithPath: path,
          relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true)
        )
        .standardizedFileURL.path
    }
    return "no database configured: using the embedded default \(shown); choose another with "
      + "--database URL, DATABASE_URL, the Ed-Fi options (-e -s --port -d -u -p or DB_ENGINE, "
      + "DB_SERVER, …) or a .env file"
  }
}
