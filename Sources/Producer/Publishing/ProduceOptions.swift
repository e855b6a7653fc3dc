import Foundation

/// What one `lmsds produce` run is asked to do, besides which roots to scan.
public struct ProduceOptions: Sendable, Hashable {
  /// A file modified less than this many seconds ago is left for the next run.
  public var settleSeconds: Double
  /// Offer files whose newest ledger row is `rejected` again.
  public var retryRejected: Bool
  /// Publish again the files recorded as `published` at least `unappliedAfter` seconds ago that
  /// no worker has given an outcome since.
  public var republishUnapplied: Bool
  /// Published files without an outcome for this long are warned about (and, with
  /// `republishUnapplied`, sent again): a fleet an hour behind is worth a look.
  public var unappliedAfter: TimeInterval
  /// Written into every message and ledger row so a row can be traced to its run.
  public var scanID: String
  /// The ledger's `AppliedBy` for `published` rows: which producer wrote them.
  public var publishedBy: String

  public init(
    settleSeconds: Double = 30, retryRejected: Bool = false, republishUnapplied: Bool = false,
    unappliedAfter: TimeInterval = 3600, scanID: String = UUID().uuidString.lowercased(),
    publishedBy: String = "lmsds produce"
  ) {
    self.settleSeconds = settleSeconds
    self.retryRejected = retryRejected
    self.republishUnapplied = republishUnapplied
    self.unappliedAfter = unappliedAfter
    self.scanID = scanID
    self.publishedBy = publishedBy
  }
}
