import Messages
import Store

/// What the ledger holds about a batch's files, read once per transaction and kept up to date as
/// the transaction records outcomes, so each wave decides against everything before it.
public struct LedgerHistory: Sendable {
  public private(set) var outcomes: [FileIdentity: [FileOutcome]]
  public var watermarks: [ScopeID: NameTimestamp]
  /// Where every identity of `outcomes` lies.
  private var recordedPaths: Set<RecordedPath>

  private struct RecordedPath: Hashable {
    let provider: ProviderName
    let relativePath: String
  }

  public init(
    outcomes: [FileIdentity: [FileOutcome]] = [:], watermarks: [ScopeID: NameTimestamp] = [:]
  ) {
    self.outcomes = outcomes
    self.watermarks = watermarks
    self.recordedPaths = Set(
      outcomes.keys.map { RecordedPath(provider: $0.provider, relativePath: $0.relativePath) })
  }

  /// Whether the ledger holds an outcome at the file's path, whatever its digest: a file the scan
  /// left unhashed must then be hashed before its outcome is decided.
  public func hasHistory(at file: FileToApply) -> Bool {
    recordedPaths.contains(RecordedPath(provider: file.provider, relativePath: file.relativePath))
  }

  /// Reads the history of `files` in a few queries.
  public static func read(for files: [FileToApply], from ledger: Ledger) throws -> LedgerHistory {
    LedgerHistory(
      outcomes: try ledger.outcomes(
        atPaths: Dictionary(grouping: files, by: \.provider).mapValues {
          Set($0.map(\.relativePath))
        }),
      watermarks: try ledger.watermarks(of: Set(files.map(\.provider))))
  }

  /// Takes in an outcome the transaction just recorded. A mismatched message's row is left out,
  /// as `Ledger.outcomes(of:)` leaves it out: the genuine file of that identity may follow it.
  public mutating func record(_ entry: LedgerEntry) {
    if entry.mismatched { return }
    let identity = FileIdentity(
      provider: entry.provider, relativePath: entry.relativePath, sha256: entry.sha256)
    outcomes[identity, default: []].append(entry.outcome)
    recordedPaths.insert(RecordedPath(provider: entry.provider, relativePath: entry.relativePath))
    if entry.outcome == .loaded, entry.resource != .systemActivities {
      let scope = ScopeID(
        provider: entry.provider, resource: entry.resource, scopeKey: entry.scopeKey)
      if let mark = watermarks[scope], mark >= entry.nameTimestamp { return }
      watermarks[scope] = entry.nameTimestamp
    }
  }
}
