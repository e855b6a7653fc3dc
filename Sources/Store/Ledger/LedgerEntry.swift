import Messages

/// One row of the file ledger: one arrival of a file and its fate.
public struct LedgerEntry: Sendable, Hashable {
  public var provider: ProviderName
  public var resource: ResourceKind
  public var relativePath: String
  public var sha256: SHA256Digest
  public var size: Int64
  /// The file's modification time when scanned, canonical UTC text.
  public var modifiedTime: String?
  public var nameTimestamp: NameTimestamp
  public var scopeKey: String
  public var outcome: FileOutcome
  public var counts: RowCounts
  public var message: String?
  /// Canonical UTC text `YYYY-MM-DD HH:MM:SS[.ffffff]`.
  public var startedAt: String
  public var finishedAt: String?
  public var appliedBy: String?
  public var scanID: String?
  public var replay: Bool
  /// The file found did not match the size or SHA-256 this row names (the message's claim, or the
  /// bytes staged). No bytes of this identity were read, so the row does not make it known: a
  /// forged or stale message never shadows the genuine file (load-semantics §4).
  public var mismatched: Bool

  public init(
    provider: ProviderName, resource: ResourceKind, relativePath: String, sha256: SHA256Digest,
    size: Int64, modifiedTime: String? = nil, nameTimestamp: NameTimestamp, scopeKey: String,
    outcome: FileOutcome, counts: RowCounts = RowCounts(), message: String? = nil,
    startedAt: String, finishedAt: String? = nil, appliedBy: String? = nil, scanID: String? = nil,
    replay: Bool = false, mismatched: Bool = false
  ) {
    self.provider = provider
    self.resource = resource
    self.relativePath = relativePath
    self.sha256 = sha256
    self.size = size
    self.modifiedTime = modifiedTime
    self.nameTimestamp = nameTimestamp
    self.scopeKey = scopeKey
    self.outcome = outcome
    self.counts = counts
    self.message = message
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.appliedBy = appliedBy
    self.scanID = scanID
    self.replay = replay
    self.mismatched = mismatched
  }
}
