import Foundation
import Messages

/// Reads and writes our bookkeeping tables: the file ledger, scope watermarks, SourceSystem owners.
public struct Ledger {
  public let connection: any SQLConnection
  let flavor: SQLFlavor
  /// True for a worker's ledger: a rejection it records is owed a dead letter, claimed by the
  /// recording worker (`deadLetterClaim(of:)`) until the broker acknowledges it.
  public let owesDeadLetters: Bool

  public init(connection: any SQLConnection, owesDeadLetters: Bool = false) {
    self.connection = connection
    self.flavor = SQLFlavor(connection.dialect)
    self.owesDeadLetters = owesDeadLetters
  }

  /// The tables as this connection's dialect names them, for readers outside Store (the ledger
  /// pages) that query them directly.
  public var ledgerTable: String { flavor.table("FileLedger") }
  public var watermarkTable: String { flavor.table("ScopeWatermark") }
  var ownerTable: String { flavor.table("SourceSystemOwner") }

  /// The columns `entry(from:)` reads, in its order; a query may select more after them.
  public static let entryColumns = [
    "Provider", "Resource", "RelativePath", "Sha256", "Size", "ModifiedTime", "NameTimestamp",
    "ScopeKey", "Outcome", "RowsRead", "Inserted", "Updated", "Restored", "Unchanged",
    "SoftDeleted", "Orphans", "Invalid", "Rounded", "Message", "StartedAt", "FinishedAt",
    "AppliedBy", "ScanId", "Replay", "Mismatched",
  ]

  /// Raises a scope's watermark to `timestamp` (never lowers it).
  public func advanceWatermark(
    provider: ProviderName, resource: ResourceKind, scopeKey: String, to timestamp: NameTimestamp
  ) throws {
    var statement = SQLStatement()
    let p = statement.bind(.text(provider.rawValue))
    let r = statement.bind(.text(resource.rawValue))
    let s = statement.bind(.text(scopeKey))
    let t = flavor.timestamp(statement.bind(.text(timestamp.sqlText)))
    switch flavor.dialect {
    case .postgresql, .sqlite:
      let greatest = flavor.dialect == .postgresql ? "GREATEST" : "MAX"
      statement.sql = """
        INSERT INTO \(watermarkTable) (Provider, Resource, ScopeKey, NameTimestamp) \
        VALUES (\(p), \(r), \(s), \(t)) ON CONFLICT (Provider, Resource, ScopeKey) \
        DO UPDATE SET NameTimestamp = \(greatest)(\(watermarkTable.split(separator: ".").last!).NameTimestamp, excluded.NameTimestamp)
        """
    case .sqlserver:
      statement.sql = """
        MERGE \(watermarkTable) WITH (HOLDLOCK) AS w USING (SELECT \(p) AS Provider, \(r) AS Resource, \
        \(s) AS ScopeKey, \(t) AS NameTimestamp) AS n ON w.Provider = n.Provider \
        AND w.Resource = n.Resource AND w.ScopeKey = n.ScopeKey \
        WHEN MATCHED AND w.NameTimestamp < n.NameTimestamp THEN UPDATE SET NameTimestamp = n.NameTimestamp \
        WHEN NOT MATCHED THEN INSERT (Provider, Resource, ScopeKey, NameTimestamp) \
        VALUES (n.Provider, n.Resource, n.ScopeKey, n.NameTimestamp);
        """
    }
    try connection.execute(statement)
  }

  /// The provider that owns a SourceSystem value, if any.
  public func owner(ofSourceSystem sourceSystem: String) throws -> ProviderName? {
    var statement = SQLStatement()
    let s = statement.bind(.text(sourceSystem))
    statement.sql = "SELECT Provider FROM \(ownerTable) WHERE SourceSystem = \(s)"
    return try connection.query(statement).first?.text(0).map(ProviderName.init(rawValue:))
  }

  /// The SourceSystem a provider claimed first, for files with no rows to read it from.
  public func sourceSystem(ownedBy provider: ProviderName) throws -> String? {
    var statement = SQLStatement()
    let p = statement.bind(.text(provider.rawValue))
    statement.sql =
      "SELECT SourceSystem FROM \(ownerTable) WHERE Provider = \(p) ORDER BY ClaimedAt, SourceSystem"
    return try connection.query(statement).first?.text(0)
  }

  public func claim(sourceSystem: String, for provider: ProviderName, at time: String) throws {
    var statement = SQLStatement()
    let s = statement.bind(.text(sourceSystem))
    let p = statement.bind(.text(provider.rawValue))
    let t = flavor.timestamp(statement.bind(.text(time)))
    statement.sql =
      "INSERT INTO \(ownerTable) (SourceSystem, Provider, ClaimedAt) VALUES (\(s), \(p), \(t))"
    try connection.execute(statement)
  }

  /// The columns `record` writes: `entryColumns`, then the dead-letter claim.
  static let recordedColumns = entryColumns + ["DeadLetterClaimedAt"]

  /// Records one arrival of a file.
  public func record(_ entry: LedgerEntry) throws {
    try connection.execute(SQLStatement(recordSQL(rows: 1), recordedValues(of: entry)))
  }

  /// The columns of `recordedColumns` that hold a timestamp, which some dialects must convert.
  static let recordedTimestampColumns: Set<String> = [
    "ModifiedTime", "NameTimestamp", "StartedAt", "FinishedAt", "DeadLetterClaimedAt",
  ]

  /// The INSERT of `rows` entries' `recordedValues`, one after another. Its text depends on the
  /// number of rows only, so a batch builds it once per size instead of once per value.
  func recordSQL(rows: Int) -> String {
    var marker = 0
    let tuples = (0..<rows).map { _ in
      let markers = Self.recordedColumns.map { column in
        marker += 1
        return Self.recordedTimestampColumns.contains(column)
          ? flavor.timestamp("$\(marker)") : "$\(marker)"
      }
      return "(" + markers.joined(separator: ", ") + ")"
    }
    return """
      INSERT INTO \(ledgerTable) (\(Self.recordedColumns.joined(separator: ", "))) \
      VALUES \(tuples.joined(separator: ", "))
      """
  }

  /// One entry's values, in `recordedColumns` order.
  func recordedValues(of entry: LedgerEntry) -> [SQLValue] {
    let c = entry.counts
    return [
      .text(entry.provider.rawValue),
      .text(entry.resource.rawValue),
      .text(entry.relativePath),
      .text(entry.sha256.hex),
      .integer(entry.size),
      entry.modifiedTime.map(SQLValue.text) ?? .null,
      .text(entry.nameTimestamp.sqlText),
      .text(entry.scopeKey),
      .text(entry.outcome.rawValue),
      .integer(Int64(c.rowsRead)),
      .integer(Int64(c.inserted)),
      .integer(Int64(c.updated)),
      .integer(Int64(c.restored)),
      .integer(Int64(c.unchanged)),
      .integer(Int64(c.softDeleted)),
      .integer(Int64(c.orphans)),
      .integer(Int64(c.invalid)),
      .integer(Int64(c.rounded)),
      entry.message.map(SQLValue.text) ?? .null,
      .text(entry.startedAt),
      entry.finishedAt.map(SQLValue.text) ?? .null,
      entry.appliedBy.map(SQLValue.text) ?? .null,
      entry.scanID.map(SQLValue.text) ?? .null,
      .integer(entry.replay ? 1 : 0),
      .integer(entry.mismatched ? 1 : 0),
      deadLetterClaim(of: entry).map(SQLValue.text) ?? .null,
    ]
  }

  /// Ledger rows, oldest first, optionally for one provider.
  public func entries(provider: ProviderName? = nil) throws -> [LedgerEntry] {
    var statement = SQLStatement()
    var filter = ""
    if let provider { filter = " WHERE Provider = \(statement.bind(.text(provider.rawValue)))" }
    statement.sql = """
      SELECT \(Self.entryColumns.joined(separator: ", ")) FROM \(ledgerTable)\(filter) \
      ORDER BY FileLedgerIdentifier
      """
    return try connection.query(statement).compactMap(Self.entry(from:))
  }

  /// What the ledger knows of a provider's files, by relative path: the newest arrival's size,
  /// modification time and SHA-256, and whether any arrival of that identity has an outcome.
  /// Rows of mismatched messages are left out: they describe a claim, not bytes that were read.
  public func knownFiles(provider: ProviderName) throws -> [String: KnownFile] {
    var statement = SQLStatement()
    let p = statement.bind(.text(provider.rawValue))
    statement.sql = """
      SELECT RelativePath, Sha256, Size, ModifiedTime, Outcome FROM \(ledgerTable) \
      WHERE Provider = \(p) AND Mismatched = 0 ORDER BY FileLedgerIdentifier
      """
    var known: [String: KnownFile] = [:]
    for row in try connection.query(statement) {
      guard let path = row.text(0), let sha = row.text(1).flatMap(SHA256Digest.init(hex:)),
        let outcomeText = row.text(4),
        let outcome = FileOutcome(rawValue: outcomeText)
      else { continue }
      var file =
        known[path] ?? KnownFile(sha256: sha, size: row.int(2) ?? -1, modifiedTime: row.text(3))
      if file.sha256 != sha {
        file = KnownFile(sha256: sha, size: row.int(2) ?? -1, modifiedTime: row.text(3))
      } else if let time = row.text(3) {
        file.modifiedTime = time
      }
      file.outcomes[sha, default: []].append(outcome)
      known[path] = file
    }
    return known
  }

  /// A row selected as `entryColumns`; nil when a value is not one this version knows.
  public static func entry(from row: SQLRow) -> LedgerEntry? {
    guard let provider = row.text(0), let resourceText = row.text(1),
      let resource = ResourceKind(rawValue: resourceText), let path = row.text(2),
      let sha = row.text(3).flatMap(SHA256Digest.init(hex:)), let nameText = row.text(6),
      let name = NameTimestamp(String(nameText.prefix(19))),
      let outcome = row.text(8).flatMap(FileOutcome.init(rawValue:)), let started = row.text(19)
    else { return nil }
    var counts = RowCounts()
    counts.rowsRead = Int(row.int(9) ?? 0)
    counts.inserted = Int(row.int(10) ?? 0)
    counts.updated = Int(row.int(11) ?? 0)
    counts.restored = Int(row.int(12) ?? 0)
    counts.unchanged = Int(row.int(13) ?? 0)
    counts.softDeleted = Int(row.int(14) ?? 0)
    counts.orphans = Int(row.int(15) ?? 0)
    counts.invalid = Int(row.int(16) ?? 0)
    counts.rounded = Int(row.int(17) ?? 0)
    return LedgerEntry(
      provider: ProviderName(provider), resource: resource, relativePath: path, sha256: sha,
      size: row.int(4) ?? 0, modifiedTime: row.text(5), nameTimestamp: name,
      scopeKey: row.text(7) ?? "", outcome: outcome, counts: counts, message: row.text(18),
      startedAt: started, finishedAt: row.text(20), appliedBy: row.text(21), scanID: row.text(22),
      replay: (row.int(23) ?? 0) != 0, mismatched: (row.int(24) ?? 0) != 0)
  }
}

/// A file as the ledger last saw it at one path.
public struct KnownFile: Sendable, Hashable {
  public var sha256: SHA256Digest
  public var size: Int64
  public var modifiedTime: String?
  /// Outcomes recorded per SHA-256 seen at this path, oldest first.
  public var outcomes: [SHA256Digest: [FileOutcome]] = [:]

  public init(sha256: SHA256Digest, size: Int64, modifiedTime: String?) {
    self.sha256 = sha256
    self.size = size
    self.modifiedTime = modifiedTime
  }

  /// The digest a scan may reuse instead of re-hashing: only while the file on disk still has the
  /// size and modification time the ledger recorded.
  public func sha256(ifUnchangedSize size: Int64, modified: Date) -> SHA256Digest? {
    guard size == self.size, let stored = modifiedTime,
      LedgerTimeText.sameInstant(stored: stored, seen: modified)
    else { return nil }
    return sha256
  }
}
