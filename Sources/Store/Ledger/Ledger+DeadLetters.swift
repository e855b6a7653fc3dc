import Foundation
import Messages

/// The ledger as the outbox of a worker's dead letters. A rejection a worker records is owed one
/// (`DeadLetterClaimedAt` set by the recording worker); whoever sends it holds the row's claim,
/// taken and renewed by compare-and-set, so two workers never both send it; the broker's
/// acknowledgement is recorded in `DeadLetterAckedAt`, after which nobody sends it again.
extension Ledger {
  /// The claim a rejection is recorded with when the ledger owes dead letters: its finish time.
  /// The recording worker finds its row again by it (`owedDeadLetterRow(of:)`).
  public func deadLetterClaim(of entry: LedgerEntry) -> String? {
    guard owesDeadLetters, entry.outcome == .rejected else { return nil }
    return entry.finishedAt ?? entry.startedAt
  }

  /// The row of `entry`, recorded by this worker moments ago, if its dead letter is still owed
  /// under the claim it was recorded with; nil when there is none (not owed, or a sweep took it
  /// over after a transaction longer than the sweep's wait).
  public func owedDeadLetterRow(of entry: LedgerEntry) throws -> OwedDeadLetter? {
    guard let claim = deadLetterClaim(of: entry) else { return nil }
    var statement = SQLStatement()
    let p = statement.bind(.text(entry.provider.rawValue))
    let path = statement.bind(.text(entry.relativePath))
    let sha = statement.bind(.text(entry.sha256.hex))
    let claimed = flavor.timestamp(statement.bind(.text(claim)))
    // The file index finds the identity's few rows; the oldest owed one under this claim is ours
    // (two refusals of one identity in one transaction each find their own in turn).
    statement.sql = """
      SELECT MIN(FileLedgerIdentifier) FROM \(ledgerTable) WHERE Provider = \(p) \
      AND RelativePath = \(path) AND Sha256 = \(sha) AND Outcome = 'rejected' \
      AND DeadLetterAckedAt IS NULL AND DeadLetterClaimedAt = \(claimed)
      """
    guard let row = try connection.query(statement).first?.int(0) else { return nil }
    return OwedDeadLetter(row: row, entry: entry, claimedAt: claim)
  }

  /// Rows whose dead letter is owed and whose claim is older than `cutoff` — their sender stopped
  /// or lost the broker — oldest first, at most `limit`. Served by the partial index of owed rows.
  public func owedDeadLetters(claimedBefore cutoff: Date, limit: Int) throws -> [OwedDeadLetter] {
    var statement = SQLStatement()
    let before = flavor.timestamp(statement.bind(.text(CanonicalTime.text(cutoff))))
    let (top, tail) = flavor.rowLimit(limit)
    let columns = (Self.entryColumns + ["FileLedgerIdentifier", "DeadLetterClaimedAt"])
      .joined(separator: ", ")
    statement.sql = """
      SELECT \(top)\(columns) FROM \(ledgerTable) \
      WHERE DeadLetterClaimedAt IS NOT NULL AND DeadLetterAckedAt IS NULL \
      AND DeadLetterClaimedAt < \(before) ORDER BY FileLedgerIdentifier\(tail)
      """
    let count = Self.entryColumns.count
    return try connection.query(statement).compactMap { row in
      guard let entry = Self.entry(from: row), let id = row.int(count),
        let claimed = row.text(count + 1)
      else { return nil }
      return OwedDeadLetter(row: id, entry: entry, claimedAt: claimed)
    }
  }

  /// Takes over an owed row whose claim is older than `cutoff`; false when another worker took
  /// it first (its claim is newer now) or its dead letter was acknowledged meanwhile.
  public func claimDeadLetter(_ owed: OwedDeadLetter, claimedBefore cutoff: Date, at now: Date)
    throws -> OwedDeadLetter?
  {
    var statement = SQLStatement()
    let claim = CanonicalTime.text(now)
    let new = flavor.timestamp(statement.bind(.text(claim)))
    let id = statement.bind(.integer(owed.row))
    let before = flavor.timestamp(statement.bind(.text(CanonicalTime.text(cutoff))))
    statement.sql = """
      UPDATE \(ledgerTable) SET DeadLetterClaimedAt = \(new) WHERE FileLedgerIdentifier = \(id) \
      AND DeadLetterAckedAt IS NULL AND DeadLetterClaimedAt < \(before)
      """
    guard try connection.execute(statement) == 1 else { return nil }
    return OwedDeadLetter(row: owed.row, entry: owed.entry, claimedAt: claim)
  }

  /// Renews a claim this worker holds (before another try at the broker), so no sweep takes the
  /// row over while its sender is still at it; nil when the claim is no longer this worker's.
  public func renewDeadLetterClaim(_ owed: OwedDeadLetter, at now: Date) throws -> OwedDeadLetter? {
    var statement = SQLStatement()
    let claim = CanonicalTime.text(now)
    let new = flavor.timestamp(statement.bind(.text(claim)))
    let id = statement.bind(.integer(owed.row))
    let held = flavor.timestamp(statement.bind(.text(owed.claimedAt)))
    statement.sql = """
      UPDATE \(ledgerTable) SET DeadLetterClaimedAt = \(new) WHERE FileLedgerIdentifier = \(id) \
      AND DeadLetterAckedAt IS NULL AND DeadLetterClaimedAt = \(held)
      """
    guard try connection.execute(statement) == 1 else { return nil }
    return OwedDeadLetter(row: owed.row, entry: owed.entry, claimedAt: claim)
  }

  /// Records that the broker acknowledged the row's dead letter: nobody sends it again.
  public func markDeadLetterAcknowledged(_ owed: OwedDeadLetter, at now: Date) throws {
    var statement = SQLStatement()
    let acked = flavor.timestamp(statement.bind(.text(CanonicalTime.text(now))))
    let id = statement.bind(.integer(owed.row))
    statement.sql = """
      UPDATE \(ledgerTable) SET DeadLetterAckedAt = \(acked) WHERE FileLedgerIdentifier = \(id)
      """
    try connection.execute(statement)
  }
}

/// A rejection whose dead letter is owed, and the claim under which this worker may send it.
public struct OwedDeadLetter: Sendable, Hashable {
  /// `FileLedgerIdentifier`.
  public let row: Int64
  public let entry: LedgerEntry
  /// The claim as the ledger holds it, canonical UTC text.
  public let claimedAt: String

  public init(row: Int64, entry: LedgerEntry, claimedAt: String) {
    self.row = row
    self.entry = entry
    self.claimedAt = claimedAt
  }
}
