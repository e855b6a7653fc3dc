import Foundation
import Messages

/// Queries the producer side needs: what to publish again, and what arrived since a time.
extension Ledger {
  /// Identities whose newest ledger row is `rejected`: what `produce --retry-rejected` offers
  /// again. Once re-published, the newest row is `published`, so a second run offers nothing.
  /// Rows of mismatched messages do not count: they are no outcome of the file itself.
  public func rejectedAwaitingRetry(provider: ProviderName) throws -> Set<FileIdentity> {
    var statement = SQLStatement()
    let p = statement.bind(.text(provider.rawValue))
    statement.sql = """
      SELECT l.RelativePath, l.Sha256 FROM \(ledgerTable) l WHERE l.Provider = \(p) \
      AND l.Outcome = 'rejected' AND l.FileLedgerIdentifier = (SELECT MAX(m.FileLedgerIdentifier) \
      FROM \(ledgerTable) m WHERE m.Provider = l.Provider AND m.RelativePath = l.RelativePath \
      AND m.Sha256 = l.Sha256 AND m.Mismatched = 0)
      """
    var identities: Set<FileIdentity> = []
    for row in try connection.query(statement) {
      guard let path = row.text(0), let sha = row.text(1).flatMap(SHA256Digest.init(hex:))
      else { continue }
      identities.insert(FileIdentity(provider: provider, relativePath: path, sha256: sha))
    }
    return identities
  }

  /// Identities recorded only as `published` — no worker ever wrote an outcome for them — whose
  /// newest `published` row started before `cutoff`: what `produce --republish-unapplied` sends
  /// again (a lost topic, a wrong cluster). One row per identity (its newest), oldest first. A
  /// mismatched message's row is no outcome of the identity it claimed: the file still waits.
  public func unappliedPublished(olderThan cutoff: Date, provider: ProviderName? = nil) throws
    -> [LedgerEntry]
  {
    var statement = SQLStatement()
    var providerFilter = ""
    if let provider {
      providerFilter = "AND Provider = \(statement.bind(.text(provider.rawValue))) "
    }
    let before = flavor.timestamp(statement.bind(.text(CanonicalTime.text(cutoff))))
    statement.sql = """
      SELECT \(Self.entryColumns.joined(separator: ", ")) FROM \(ledgerTable) \
      WHERE FileLedgerIdentifier IN (SELECT MAX(FileLedgerIdentifier) FROM \(ledgerTable) \
      WHERE Mismatched = 0 \(providerFilter)GROUP BY Provider, RelativePath, Sha256 \
      HAVING SUM(CASE WHEN Outcome = 'published' THEN 0 ELSE 1 END) = 0 \
      AND MAX(StartedAt) < \(before)) ORDER BY FileLedgerIdentifier
      """
    return try connection.query(statement).compactMap(Self.entry(from:))
  }

  /// How many identities `unappliedPublished(olderThan:)` would return, and the oldest of their
  /// `published` times: what a worker checks every minute, so one row, not the rows themselves.
  public func unappliedPublishedCount(olderThan cutoff: Date) throws -> UnappliedCount {
    var statement = SQLStatement()
    let before = flavor.timestamp(statement.bind(.text(CanonicalTime.text(cutoff))))
    // The newest row of an identity, `published`, with no outcome among its rows: the same
    // identities as the GROUP BY above, found through the file index instead of a grouping of
    // the whole ledger.
    statement.sql = """
      SELECT COUNT(*), MIN(p.StartedAt) FROM \(ledgerTable) p WHERE p.Outcome = 'published' \
      AND p.StartedAt < \(before) AND NOT EXISTS (SELECT 1 FROM \(ledgerTable) o \
      WHERE o.Provider = p.Provider AND o.RelativePath = p.RelativePath AND o.Sha256 = p.Sha256 \
      AND o.Mismatched = 0 \
      AND (o.Outcome <> 'published' OR o.FileLedgerIdentifier > p.FileLedgerIdentifier))
      """
    guard let row = try connection.query(statement).first else { return UnappliedCount() }
    return UnappliedCount(files: Int(row.int(0) ?? 0), oldestPublishedAt: row.text(1))
  }

  /// A provider's ledger rows (any outcome) that started at or after `since`, oldest first:
  /// what arrived since then, for a replay whose messages the topic no longer holds.
  public func entries(provider: ProviderName, startedSince since: Date) throws -> [LedgerEntry] {
    var statement = SQLStatement()
    let p = statement.bind(.text(provider.rawValue))
    let s = flavor.timestamp(statement.bind(.text(CanonicalTime.text(since))))
    statement.sql = """
      SELECT \(Self.entryColumns.joined(separator: ", ")) FROM \(ledgerTable) \
      WHERE Provider = \(p) AND StartedAt >= \(s) ORDER BY FileLedgerIdentifier
      """
    return try connection.query(statement).compactMap(Self.entry(from:))
  }
}

/// Published files with no outcome yet, past some age.
public struct UnappliedCount: Sendable, Hashable {
  public var files: Int
  /// When the oldest of them was published, as the ledger shows times; nil when there is none.
  public var oldestPublishedAt: String?

  public init(files: Int = 0, oldestPublishedAt: String? = nil) {
    self.files = files
    self.oldestPublishedAt = oldestPublishedAt
  }
}
