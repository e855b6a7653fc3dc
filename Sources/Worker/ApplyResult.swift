import Store

/// What became of one file.
public struct ApplyResult: Sendable {
  public let entry: LedgerEntry
  public var outcome: FileOutcome { entry.outcome }
  public var counts: RowCounts { entry.counts }
  public var message: String? { entry.message }
}
