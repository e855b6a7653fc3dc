import Foundation
import Messages

/// What prune needs to know of one ledger row (load-semantics §9), in ledger order.
public struct ArchiveLedgerFact: Sendable, Hashable {
  public enum Outcome: Sendable, Hashable {
    case published
    case loaded
    /// rejected, superseded, duplicate: an outcome, but never the scope's state.
    case other
  }

  public var provider: ProviderName
  public var relativePath: String
  public var sha256: SHA256Digest
  /// Resource and scope directory: together, one watermark of the ledger.
  public var resource: String
  public var scopeKey: String
  public var nameTimestamp: NameTimestamp
  public var outcome: Outcome

  public init(
    provider: ProviderName, relativePath: String, sha256: SHA256Digest, resource: String,
    scopeKey: String, nameTimestamp: NameTimestamp, outcome: Outcome
  ) {
    self.provider = provider
    self.relativePath = relativePath
    self.sha256 = sha256
    self.resource = resource
    self.scopeKey = scopeKey
    self.nameTimestamp = nameTimestamp
    self.outcome = outcome
  }
}

/// Which archived files `lmsds archive prune` removes. Pure, so that the rules are tested
/// without a file system or a database.
public enum ArchivePrune {
  public struct Selection: Sendable, Hashable {
    public var remove: [ArchivedFile] = []
    /// Old enough, but the bytes of a scope's newest applied snapshot.
    public var keptNewest = 0
    /// Old enough, but published (or replayed) and not applied yet.
    public var keptUnapplied = 0
  }

  struct Blob: Hashable {
    let provider: ProviderName
    let sha256: SHA256Digest
  }

  /// Archived files stored before `cutoff`, except the newest `loaded` file of every
  /// (provider, resource, scope) — what a forced replay from the archive ends on — and every
  /// identity whose newest ledger row is `published`, which a worker may still ask for.
  /// `facts` must be in ledger order: the later of two rows decides.
  public static func select(
    archived: [ArchivedFile], facts: [ArchiveLedgerFact], storedBefore cutoff: Date
  ) -> Selection {
    struct Scope: Hashable {
      let provider: ProviderName
      let resource: String
      let scopeKey: String
    }
    var newest: [Scope: ArchiveLedgerFact] = [:]
    var lastOutcome: [FileIdentity: ArchiveLedgerFact.Outcome] = [:]
    for fact in facts {
      let identity = FileIdentity(
        provider: fact.provider, relativePath: fact.relativePath, sha256: fact.sha256)
      lastOutcome[identity] = fact.outcome
      guard fact.outcome == .loaded else { continue }
      let scope = Scope(provider: fact.provider, resource: fact.resource, scopeKey: fact.scopeKey)
      // `>=`: a forced replay of the same name applied later is the scope's state now.
      if let current = newest[scope], current.nameTimestamp > fact.nameTimestamp { continue }
      newest[scope] = fact
    }
    let newestBlobs = Set(newest.values.map { Blob(provider: $0.provider, sha256: $0.sha256) })
    let unappliedBlobs = Set(
      lastOutcome.filter { $0.value == .published }.keys.map {
        Blob(provider: $0.provider, sha256: $0.sha256)
      })

    var selection = Selection()
    for file in archived where file.storedAt < cutoff {
      guard let sha = file.sha256 else {
        // A temporary copy a crashed run left: no name ever pointed at it.
        selection.remove.append(file)
        continue
      }
      let blob = Blob(provider: file.provider, sha256: sha)
      if unappliedBlobs.contains(blob) {
        selection.keptUnapplied += 1
      } else if newestBlobs.contains(blob) {
        selection.keptNewest += 1
      } else {
        selection.remove.append(file)
      }
    }
    return selection
  }
}
