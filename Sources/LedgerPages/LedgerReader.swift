import Messages
import Store

/// The queries behind the pages. Each is bounded by a row limit or served by one of the ledger's
/// indexes (docs/ledger-schema.md), so a page stays cheap on a ledger of millions of rows.
struct LedgerReader {
  let connection: any SQLConnection
  private let ledger: Ledger
  private let flavor: SQLFlavor

  init(connection: any SQLConnection) {
    self.connection = connection
    self.ledger = Ledger(connection: connection)
    self.flavor = SQLFlavor(connection.dialect)
  }

  /// The ledger columns, then the row's key last (`Ledger.entry(from:)` reads by position).
  private var recordColumns: String {
    (Ledger.entryColumns + ["FileLedgerIdentifier"]).joined(separator: ", ")
  }

  private func records(_ statement: SQLStatement) throws -> [LedgerRecord] {
    let idColumn = Ledger.entryColumns.count
    return try connection.query(statement).compactMap { row in
      guard let id = row.int(idColumn), let entry = Ledger.entry(from: row) else { return nil }
      return LedgerRecord(id: id, entry: entry)
    }
  }

  /// Whether the ledger table exists: a database nobody migrated has none.
  func ledgerTableExists() -> Bool {
    (try? connection.query("SELECT FileLedgerIdentifier FROM \(ledger.ledgerTable) WHERE 1 = 0"))
      != nil
  }

  /// Rows per provider and outcome: a count over the (Provider, Outcome) index alone.
  func providerCounts() throws -> [ProviderCounts] {
    let rows = try connection.query(
      "SELECT Provider, Outcome, COUNT(*) FROM \(ledger.ledgerTable) GROUP BY Provider, Outcome")
    var counts: [ProviderName: ProviderCounts] = [:]
    for row in rows {
      guard let provider = row.text(0).map(ProviderName.init(rawValue:)),
        let outcome = row.text(1).flatMap(FileOutcome.init(rawValue:))
      else { continue }
      counts[provider, default: ProviderCounts(provider: provider)]
        .byOutcome[outcome, default: 0] += Int(row.int(2) ?? 0)
    }
    return counts.values.sorted { $0.provider < $1.provider }
  }

  func counts(of provider: ProviderName) throws -> ProviderCounts {
    var statement = SQLStatement()
    let p = statement.bind(.text(provider.rawValue))
    statement.sql = """
      SELECT Outcome, COUNT(*) FROM \(ledger.ledgerTable) WHERE Provider = \(p) GROUP BY Outcome
      """
    var counts = ProviderCounts(provider: provider)
    for row in try connection.query(statement) {
      guard let outcome = row.text(0).flatMap(FileOutcome.init(rawValue:)) else { continue }
      counts.byOutcome[outcome, default: 0] += Int(row.int(1) ?? 0)
    }
    return counts
  }

  /// The newest `published` row: which producer run last found a file of this provider.
  func lastScan(of provider: ProviderName) throws -> ProducerScan? {
    var statement = SQLStatement()
    let p = statement.bind(.text(provider.rawValue))
    let (top, limit) = flavor.rowLimit(1)
    statement.sql = """
      SELECT \(top)ScanId, StartedAt FROM \(ledger.ledgerTable) WHERE Provider = \(p) \
      AND Outcome = 'published' ORDER BY FileLedgerIdentifier DESC\(limit)
      """
    guard let row = try connection.query(statement).first, let time = row.text(1) else {
      return nil
    }
    return ProducerScan(scanID: row.text(0), publishedAt: time)
  }

  /// The newest snapshot applied per resource, from the scope watermarks (one row per scope, keyed
  /// by provider first) rather than from the ledger's loaded rows.
  func newestSnapshots(of provider: ProviderName) throws -> [ResourceSnapshot] {
    var statement = SQLStatement()
    let p = statement.bind(.text(provider.rawValue))
    statement.sql = """
      SELECT Resource, MAX(NameTimestamp), COUNT(*) FROM \(ledger.watermarkTable) \
      WHERE Provider = \(p) GROUP BY Resource ORDER BY Resource
      """
    return try connection.query(statement).compactMap { row in
      guard let resource = row.text(0) else { return nil }
      let newest = row.text(1).flatMap { LedgerTimeText.canonical($0) }.flatMap {
        NameTimestamp(String($0.prefix(19)))
      }
      return ResourceSnapshot(resource: resource, newest: newest, scopes: Int(row.int(2) ?? 0))
    }
  }

  /// A provider's rows, newest first: `limit` of them, optionally of one outcome and older than
  /// the row `before` (the next page starts after the last row shown).
  func files(
    of provider: ProviderName, outcome: FileOutcome? = nil, before: Int64? = nil, limit: Int
  ) throws -> [LedgerRecord] {
    var statement = SQLStatement()
    var conditions = ["Provider = \(statement.bind(.text(provider.rawValue)))"]
    if let outcome { conditions.append("Outcome = \(statement.bind(.text(outcome.rawValue)))") }
    if let before {
      conditions.append("FileLedgerIdentifier < \(statement.bind(.integer(before)))")
    }
    let (top, tail) = flavor.rowLimit(limit)
    statement.sql = """
      SELECT \(top)\(recordColumns) FROM \(ledger.ledgerTable) \
      WHERE \(conditions.joined(separator: " AND ")) ORDER BY FileLedgerIdentifier DESC\(tail)
      """
    return try records(statement)
  }

  func record(id: Int64) throws -> LedgerRecord? {
    var statement = SQLStatement()
    let i = statement.bind(.integer(id))
    statement.sql = """
      SELECT \(recordColumns) FROM \(ledger.ledgerTable) WHERE FileLedgerIdentifier = \(i)
      """
    return try records(statement).first
  }

  /// Every arrival at one path of a provider, any content, newest first (the (Provider,
  /// RelativePath, Sha256) index serves it).
  func arrivals(of provider: ProviderName, path: String, limit: Int) throws -> [LedgerRecord] {
    var statement = SQLStatement()
    let p = statement.bind(.text(provider.rawValue))
    let r = statement.bind(.text(path))
    let (top, tail) = flavor.rowLimit(limit)
    statement.sql = """
      SELECT \(top)\(recordColumns) FROM \(ledger.ledgerTable) \
      WHERE Provider = \(p) AND RelativePath = \(r) ORDER BY FileLedgerIdentifier DESC\(tail)
      """
    return try records(statement)
  }
}
