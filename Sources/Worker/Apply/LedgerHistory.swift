import Messages
import Store

/// What the ledger holds about a batch's files, read once per transaction and kept up to date as
/// the transaction records outcomes, so each wave decides against everything before it.
public struct LedgerHistory: Sendable {
  public private(set) var outcomes: [FileIdentity: [FileOutcome]]
  public var watermarks: [ScopeID: NameTimestamp]
  /// When each identity was last rejected (canonical UTC text), read only for the files a message
  /// offers again after a rejection: what `publishedAfterRejection` compares with.
  public private(set) var rejectedAt: [FileIdentity: String]
  /// Where every identity of `outcomes` lies.
  private var recordedPaths: Set<RecordedPath>

  private struct RecordedPath: Hashable {
    let provider: ProviderName
    let relativePath: String
  }

  public init(
    outcomes: [FileIdentity: [FileOutcome]] = [:], watermarks: [ScopeID: NameTimestamp] = [:],
    rejectedAt: [FileIdentity: String] = [:]
  ) {
    self.outcomes = outcomes
    self.watermarks = watermarks
    self.rejectedAt = rejectedAt
    self.recordedPaths = Set(
      outcomes.keys.map { RecordedPath(provider: $0.provider, relativePath: $0.relativePath) })
  }

  /// Whether the ledger holds an outcome at the file's path, whatever its digest: a file the scan
  /// left unhashed must then be hashed before its outcome is decided.
  public func hasHistory(at file: FileToApply) -> Bool {
    recordedPaths.contains(RecordedPath(provider: file.provider, relativePath: file.relativePath))
  }

  /// Whether the message offering `file` was published after its identity's last rejection: the
  /// producer re-offered it (`--retry-rejected`, a replay). The `published` row it writes once the
  /// broker acknowledged the message says so too, but a worker can read the message first.
  public func publishedAfterRejection(_ file: FileToApply) -> Bool {
    guard let published = file.publishedAt, let identity = file.identity,
      let rejected = rejectedAt[identity]
    else { return false }
    return published > rejected
  }

  /// Reads the history of `files` in a few queries, and the rejection times of those a message
  /// offers again after a rejection.
  public static func read(for files: [FileToApply], from ledger: Ledger) throws -> LedgerHistory {
    var history = LedgerHistory(
      outcomes: try ledger.outcomes(
        atPaths: Dictionary(grouping: files, by: \.provider).mapValues {
          Set($0.map(\.relativePath))
        }),
      watermarks: try ledger.watermarks(of: Set(files.map(\.provider))))
    try history.readRejectionTimes(for: files, from: ledger)
    return history
  }

  /// Reads when the identities of `files` were last rejected, for the files a message offers
  /// (`publishedAt`) whose identity `outcomes` holds rejected: no query when there are none.
  public mutating func readRejectionTimes(for files: [FileToApply], from ledger: Ledger) throws {
    let offeredAgain = files.compactMap { file in
      file.publishedAt == nil ? nil : file.identity
    }.filter { outcomes[$0]?.contains(.rejected) == true }
    if !offeredAgain.isEmpty {
      rejectedAt = try ledger.lastRejections(of: offeredAgain)
    }
  }

  /// Takes in an outcome the transaction just recorded. A mismatched message's row is left out,
  /// as `Ledger.outcomes(of:)` leaves it out: the genuine file of that identity may follow it.
  public mutating func record(_ entry: LedgerEntry) {
    if entry.mismatched { return }
    let identity = FileIdentity(
      provider: entry.provider, relativePath: entry.relativePath, sha256: entry.sha256)
    outcomes[identity, default: []].append(entry.outcome)
    if entry.outcome == .rejected {
      rejectedAt[identity] = LedgerTimeText.canonical(entry.finishedAt ?? entry.startedAt)
    }
    recordedPaths.insert(RecordedPath(provider: entry.provider, relativePath: entry.relativePath))
    if entry.outcome == .loaded, entry.resource != .systemActivities {
      let scope = ScopeID(
        provider: entry.provider, resource: entry.resource, scopeKey: entry.scopeKey)
      if let mark = watermarks[scope], mark >= entry.nameTimestamp { return }
      watermarks[scope] = entry.nameTimestamp
    }
  }
}
