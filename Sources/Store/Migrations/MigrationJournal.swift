/// The journal table as each dialect spells it: which scripts ran, when, and with which text.
struct MigrationJournal {
  /// The journal's rows, by script name; the checksum is nil for rows the Ed-Fi loader wrote.
  struct Contents {
    var checksums: [String: String?]
    var hasChecksumColumn: Bool
  }

  let dialect: SQLDialect
  private let table: String
  private let columnsQuery: String
  private let addChecksumColumn: String
  private let insertRow: String

  init(_ dialect: SQLDialect) throws {
    self.dialect = dialect
    switch dialect {
    case .postgresql:
      // Unquoted names fold to lower case: this is the Ed-Fi loader's lms.migrationjournal.
      table = "lms.MigrationJournal"
      columnsQuery = """
        SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'lms' AND table_name = 'migrationjournal'
        """
      addChecksumColumn =
        "ALTER TABLE lms.MigrationJournal ADD COLUMN IF NOT EXISTS Checksum varchar(64) NULL"
      insertRow = """
        INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum)
        VALUES ($1, now() AT TIME ZONE 'UTC', $2)
        """
    case .sqlite:
      table = "MigrationJournal"
      columnsQuery = "SELECT name FROM pragma_table_info('MigrationJournal')"
      addChecksumColumn = "ALTER TABLE MigrationJournal ADD COLUMN Checksum TEXT NULL"
      insertRow = """
        INSERT INTO MigrationJournal (Script, InstallDate, Checksum)
        VALUES ($1, datetime('now'), $2)
        """
    case .sqlserver:
      table = "lms.MigrationJournal"
      columnsQuery = """
        SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
        """
      addChecksumColumn = """
        IF COL_LENGTH(N'lms.MigrationJournal', N'Checksum') IS NULL \
        ALTER TABLE lms.MigrationJournal ADD Checksum varchar(64) NULL
        """
      insertRow = """
        INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) \
        VALUES ($1, SYSUTCDATETIME(), $2)
        """
    }
  }

  /// nil while the journal does not exist (a fresh database, before the first script).
  func read(_ connection: any SQLConnection) throws -> Contents? {
    let columns = try connection.query(columnsQuery).compactMap { $0.text(0)?.lowercased() }
    guard !columns.isEmpty else { return nil }
    let hasChecksum = columns.contains("checksum")
    let rows = try connection.query(readQuery(hasChecksumColumn: hasChecksum))
    var checksums: [String: String?] = [:]
    for row in rows {
      guard let script = row.text(0) else { continue }
      checksums[script] = row.text(1)
    }
    return Contents(checksums: checksums, hasChecksumColumn: hasChecksum)
  }

  /// The statements, for tests that pin their text.
  var statements: (columns: String, addChecksum: String, insert: String) {
    (columnsQuery, addChecksumColumn, insertRow)
  }

  func readQuery(hasChecksumColumn: Bool) -> String {
    "SELECT Script, \(hasChecksumColumn ? "Checksum" : "NULL") FROM \(table)"
  }

  /// The Ed-Fi loader's journal has no Checksum column; ours adds it in place.
  func addChecksumColumn(_ connection: any SQLConnection) throws {
    try connection.execute(addChecksumColumn)
  }

  func record(_ migration: Migration, _ connection: any SQLConnection) throws {
    try connection.execute(insertRow, [.text(migration.name), .text(migration.checksum)])
  }
}
