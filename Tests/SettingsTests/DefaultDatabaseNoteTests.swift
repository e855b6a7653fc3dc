import Testing

@testable import Settings
@testable import Store

/// A run that falls back to the embedded database says so, with the file's full path and how to
/// choose another; a configured run says nothing of the kind.
struct DefaultDatabaseNoteTests {
  @Test func theFallbackIsNamedWithItsFullPathAndTheWaysOut() throws {
    let settings = try SettingsResolver.resolve(
      flags: EdFiFlags(csvPath: "/data/canvas"), environment: [:], dotEnv: [:],
      defaultDatabase: SettingsResolver.loadDefaultDatabase)
    let note = settings.defaultDatabaseNote(currentDirectory: "/srv/lmsds")
    #expect(note?.contains("sqlite:/srv/lmsds/lms.sqlite") == true, "\(note ?? "nil")")
    for way in ["--database", "DATABASE_URL", "-s", "DB_SERVER", ".env"] {
      #expect(note?.contains(way) == true, "\(way) missing from \(note ?? "nil")")
    }
  }

  @Test func aConfiguredDatabaseHasNoNote() throws {
    for (flags, environment, dotEnv) in [
      (EdFiFlags(database: "sqlite:lms.sqlite"), [:], [:]),
      (EdFiFlags(), ["DATABASE_URL": "sqlite:lms.sqlite"], [:]),
      (EdFiFlags(), [:], ["DATABASE_URL": "sqlite:lms.sqlite"]),
      (EdFiFlags(engine: "postgresql", server: "db", dbname: "lms"), [:], [:]),
    ] as [(EdFiFlags, [String: String], [String: String])] {
      let settings = try SettingsResolver.resolve(
        flags: flags, environment: environment, dotEnv: dotEnv,
        defaultDatabase: SettingsResolver.loadDefaultDatabase)
      #expect(settings.defaultDatabaseNote() == nil, "\(flags)")
    }
  }
}
