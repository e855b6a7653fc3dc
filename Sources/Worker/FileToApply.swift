import Messages
import Store

/// One file offered to the applier, as found by a scan or named by a message.
public struct FileToApply: Sendable, Hashable {
  public var provider: ProviderName
  /// Where this process reads it.
  public var absolutePath: String
  /// Relative to the provider's root, `/`-separated: part of its identity.
  public var relativePath: String
  public var location: ResourceLocation
  /// Nil until the file is read: `lmsds load` leaves a path the ledger has never seen unhashed,
  /// and the one read that stages it takes its digest (`StagedContent`).
  public var sha256: SHA256Digest?
  /// The size the scan or the message gave: the bytes read must have it.
  public var size: Int64
  /// The modification time the scan saw, canonical UTC text.
  public var modifiedTime: String?
  public var scanID: String?
  /// Re-published by `lmsds replay`.
  public var replay: Bool
  /// Re-apply regardless of identity and watermark (a forced replay).
  public var force: Bool
  /// When the message offering it was published, canonical UTC text (`CanonicalTime`); nil for a
  /// file a scan found. A message published after its identity's rejection re-offers it
  /// (`LedgerHistory.publishedAfterRejection`).
  public var publishedAt: String?

  public init(
    provider: ProviderName, absolutePath: String, relativePath: String,
    location: ResourceLocation, sha256: SHA256Digest?, size: Int64, modifiedTime: String? = nil,
    scanID: String? = nil, replay: Bool = false, force: Bool = false, publishedAt: String? = nil
  ) {
    self.provider = provider
    self.absolutePath = absolutePath
    self.relativePath = relativePath
    self.location = location
    self.sha256 = sha256
    self.size = size
    self.modifiedTime = modifiedTime
    self.scanID = scanID
    self.replay = replay
    self.force = force
    self.publishedAt = publishedAt
  }

  /// Nil while the digest is unknown (`sha256`).
  public var identity: FileIdentity? {
    sha256.map { FileIdentity(provider: provider, relativePath: relativePath, sha256: $0) }
  }
}

extension FileToApply {
  /// The file's ledger row with `outcome`, under `sha256` (the bytes read) or else its own digest.
  /// A file still unhashed (nothing of it read) goes under `StagedContent.nothingRead`.
  func ledgerEntry(
    _ outcome: FileOutcome, sha256 read: SHA256Digest? = nil, startedAt: String,
    finishedAt: String? = nil, appliedBy: String?
  ) -> LedgerEntry {
    LedgerEntry(
      provider: provider, resource: location.resource, relativePath: relativePath,
      sha256: read ?? sha256 ?? StagedContent.nothingRead, size: size,
      modifiedTime: modifiedTime, nameTimestamp: location.nameTimestamp,
      scopeKey: location.scopeKey, outcome: outcome, startedAt: startedAt,
      finishedAt: finishedAt, appliedBy: appliedBy, scanID: scanID, replay: replay)
  }
}
