import Store

/// What became of one file.
public struct ApplyResult: Sendable {
  public let entry: LedgerEntry
  /// How long the applier took over it inside the transaction; `nil` where it was never applied
  /// (a refusal recorded without reading the file).
  public var applyDuration: Duration?
  /// Its rows went from COPY straight into the target: a first load of an empty scope.
  public var filledDirectly = false
  public var outcome: FileOutcome { entry.outcome }
  public var counts: RowCounts { entry.counts }
  public var message: String? { entry.message }

  public init(entry: LedgerEntry, applyDuration: Duration? = nil) {
    self.entry = entry
    self.applyDuration = applyDuration
  }
}
