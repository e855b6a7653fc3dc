/// Which ledger rows `lmsds ledger` shows: the newest first, at most `limit`, optionally only
/// since a moment, of one outcome, of one provider. The default answers "what happened lately"
/// without printing a decade of history.
public struct LedgerQuery: Sendable, Hashable {
  public static let defaultLimit = 100

  public var provider: String?
  public var outcome: FileOutcome?
  /// Canonical UTC text (`CanonicalTime.text`); rows started at or after it.
  public var since: String?
  /// nil for every matching row.
  public var limit: Int?

  public init(
    provider: String? = nil, outcome: FileOutcome? = nil, since: String? = nil,
    limit: Int? = LedgerQuery.defaultLimit
  ) {
    self.provider = provider
    self.outcome = outcome
    self.since = since
    self.limit = limit
  }
}

extension Ledger {
  /// The rows `query` selects, newest first.
  public func entries(matching query: LedgerQuery) throws -> [LedgerEntry] {
    var statement = SQLStatement()
    var conditions: [String] = []
    if let provider = query.provider {
      conditions.append("Provider = \(statement.bind(.text(provider)))")
    }
    if let outcome = query.outcome {
      conditions.append("Outcome = \(statement.bind(.text(outcome.rawValue)))")
    }
    if let since = query.since {
      conditions.append("StartedAt >= \(flavor.timestamp(statement.bind(.text(since))))")
    }
    let (top, limit) = query.limit.map { flavor.rowLimit($0) } ?? ("", "")
    let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    statement.sql = """
      SELECT \(top)\(Self.entryColumns.joined(separator: ", ")) FROM \(ledgerTable)\(filter) \
      ORDER BY FileLedgerIdentifier DESC\(limit)
      """
    return try connection.query(statement).compactMap(Self.entry(from:))
  }
}
