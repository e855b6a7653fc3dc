import Messages

/// The ledger read and written a batch at a time: one query for what a whole batch needs to
/// decide its files' outcomes, one statement for a wave's ledger rows and watermarks.
extension Ledger {
  /// Every recorded outcome of the given identities, oldest first, by identity. Rows of mismatched
  /// messages are left out: no bytes of their identity were read, so they cannot make it known.
  public func outcomes(of identities: [FileIdentity]) throws -> [FileIdentity: [FileOutcome]] {
    let wanted = Set(identities)
    let paths = Dictionary(grouping: wanted, by: \.provider).mapValues {
      Set($0.map(\.relativePath))
    }
    return try outcomes(atPaths: paths).filter { wanted.contains($0.key) }
  }

  /// Every recorded outcome at the given paths of each provider, whatever the digest, oldest
  /// first, by identity; mismatched rows left out as by `outcomes(of:)`.
  public func outcomes(atPaths paths: [ProviderName: Set<String>]) throws
    -> [FileIdentity: [FileOutcome]]
  {
    var history: [FileIdentity: [FileOutcome]] = [:]
    for (provider, wanted) in paths {
      for chunk in wanted.sorted().chunked(into: 500) {
        var statement = SQLStatement()
        let p = statement.bind(.text(provider.rawValue))
        let values = chunk.map { statement.bind(.text($0)) }
        if connection.dialect == .sqlite {
          // SQLite turns an IN list into a temporary index by itself.
          statement.sql = """
            SELECT RelativePath, Sha256, Outcome FROM \(ledgerTable) WHERE Provider = \(p) \
            AND RelativePath IN (\(values.joined(separator: ", "))) AND Mismatched = 0 \
            ORDER BY FileLedgerIdentifier
            """
        } else {
          // A join, not an IN list: under a prepared statement's generic plan PostgreSQL compares
          // every ledger row with the 500 parameters one by one (160 ms a chunk on a 5,000-row
          // ledger); a VALUES list it hashes or probes the index with.
          let rows = values.map { "(\($0))" }.joined(separator: ", ")
          statement.sql = """
            SELECT l.RelativePath, l.Sha256, l.Outcome FROM \(ledgerTable) AS l \
            JOIN (VALUES \(rows)) AS w (path) ON l.RelativePath = w.path \
            WHERE l.Provider = \(p) AND l.Mismatched = 0 ORDER BY l.FileLedgerIdentifier
            """
        }
        for row in try connection.query(statement) {
          guard let path = row.text(0), let sha = row.text(1).flatMap(SHA256Digest.init(hex:)),
            let outcome = row.text(2).flatMap(FileOutcome.init(rawValue:))
          else { continue }
          history[FileIdentity(provider: provider, relativePath: path, sha256: sha), default: []]
            .append(outcome)
        }
      }
    }
    return history
  }

  /// When each identity was last rejected (its row's finish, canonical UTC text), for identities
  /// that have a rejection; mismatched rows left out as by `outcomes(of:)`. One query per
  /// identity: only files offered again after a rejection ask.
  public func lastRejections(of identities: [FileIdentity]) throws -> [FileIdentity: String] {
    var times: [FileIdentity: String] = [:]
    for identity in Set(identities) {
      var statement = SQLStatement()
      let p = statement.bind(.text(identity.provider.rawValue))
      let path = statement.bind(.text(identity.relativePath))
      let sha = statement.bind(.text(identity.sha256.hex))
      let rejected = statement.bind(.text(FileOutcome.rejected.rawValue))
      statement.sql = """
        SELECT MAX(COALESCE(FinishedAt, StartedAt)) FROM \(ledgerTable) WHERE Provider = \(p) \
        AND RelativePath = \(path) AND Sha256 = \(sha) AND Outcome = \(rejected) AND Mismatched = 0
        """
      if let text = try connection.query(statement).first?.text(0),
        let time = LedgerTimeText.canonical(text)
      {
        times[identity] = time
      }
    }
    return times
  }

  /// Whether a message claiming this identity and size was already found not to match its file:
  /// a redelivery of it need not wait for the file to change again before it is refused.
  public func mismatchRecorded(_ identity: FileIdentity, size: Int64) throws -> Bool {
    var statement = SQLStatement()
    let p = statement.bind(.text(identity.provider.rawValue))
    let path = statement.bind(.text(identity.relativePath))
    let sha = statement.bind(.text(identity.sha256.hex))
    let bytes = statement.bind(.integer(size))
    statement.sql = """
      SELECT COUNT(*) FROM \(ledgerTable) WHERE Provider = \(p) AND RelativePath = \(path) \
      AND Sha256 = \(sha) AND Size = \(bytes) AND Mismatched = 1
      """
    return (try connection.query(statement).first?.int(0) ?? 0) > 0
  }

  /// The newest name-timestamp applied in every scope of the given providers.
  public func watermarks(of providers: Set<ProviderName>) throws -> [ScopeID: NameTimestamp] {
    var marks: [ScopeID: NameTimestamp] = [:]
    for provider in providers.sorted(by: { $0.rawValue < $1.rawValue }) {
      var statement = SQLStatement()
      let p = statement.bind(.text(provider.rawValue))
      statement.sql =
        "SELECT Resource, ScopeKey, NameTimestamp FROM \(watermarkTable) WHERE Provider = \(p)"
      for row in try connection.query(statement) {
        guard let resource = row.text(0).flatMap(ResourceKind.init(rawValue:)),
          let scope = row.text(1), let text = row.text(2),
          let time = NameTimestamp(String(text.prefix(19)))
        else { continue }
        marks[ScopeID(provider: provider, resource: resource, scopeKey: scope)] = time
      }
    }
    return marks
  }

  /// Every SourceSystem claimed so far, with its owner.
  public func owners() throws -> [String: ProviderName] {
    var owners: [String: ProviderName] = [:]
    for row in try connection.query("SELECT SourceSystem, Provider FROM \(ownerTable)") {
      if let system = row.text(0), let provider = row.text(1) {
        owners[system] = ProviderName(provider)
      }
    }
    return owners
  }

  /// The SourceSystem each provider claimed first (for files with no rows to read it from).
  public func firstClaims() throws -> [ProviderName: String] {
    var claims: [ProviderName: String] = [:]
    for row in try connection.query(
      "SELECT Provider, SourceSystem FROM \(ownerTable) ORDER BY ClaimedAt DESC, SourceSystem DESC")
    {
      if let provider = row.text(0), let system = row.text(1) {
        claims[ProviderName(provider)] = system
      }
    }
    return claims
  }

  /// Records many arrivals, a few statements in all.
  public func record(_ entries: [LedgerEntry]) throws {
    let size = flavor.rowsPerInsert(parametersPerRow: Self.recordedColumns.count)
    var texts: [Int: String] = [:]
    for chunk in entries.chunked(into: size) {
      let sql = texts[chunk.count] ?? recordSQL(rows: chunk.count)
      texts[chunk.count] = sql
      try connection.execute(SQLStatement(sql, chunk.flatMap(recordedValues(of:))))
    }
  }

  /// Raises many scopes' watermarks (never lowers one).
  public func advanceWatermarks(_ marks: [ScopeID: NameTimestamp]) throws {
    guard flavor.dialect != .sqlserver else {
      for (scope, time) in marks {
        try advanceWatermark(
          provider: scope.provider, resource: scope.resource, scopeKey: scope.scopeKey, to: time)
      }
      return
    }
    // One order in every session, so that concurrent upserts lock rows alike: by bytes, each
    // scope's key built once rather than at every comparison.
    let sorted = marks.map { scope, time in
      let key = [scope.provider.rawValue, scope.resource.rawValue, scope.scopeKey]
        .joined(separator: "\u{0}")
      return (key: Array(key.utf8), scope: scope, time: time)
    }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    var texts: [Int: String] = [:]
    for chunk in sorted.chunked(into: flavor.rowsPerInsert(parametersPerRow: 4)) {
      let sql = texts[chunk.count] ?? watermarkSQL(rows: chunk.count)
      texts[chunk.count] = sql
      let values = chunk.flatMap { mark -> [SQLValue] in
        [
          .text(mark.scope.provider.rawValue), .text(mark.scope.resource.rawValue),
          .text(mark.scope.scopeKey), .text(mark.time.sqlText),
        ]
      }
      try connection.execute(SQLStatement(sql, values))
    }
  }

  /// The upsert of `rows` watermarks (provider, resource, scope key, name timestamp).
  func watermarkSQL(rows: Int) -> String {
    let greatest = flavor.dialect == .postgresql ? "GREATEST" : "MAX"
    let bare = watermarkTable.split(separator: ".").last!
    let tuples = (0..<rows).map { row in
      let first = row * 4
      return "($\(first + 1), $\(first + 2), $\(first + 3), \(flavor.timestamp("$\(first + 4)")))"
    }
    return """
      INSERT INTO \(watermarkTable) (Provider, Resource, ScopeKey, NameTimestamp) \
      VALUES \(tuples.joined(separator: ", ")) ON CONFLICT (Provider, Resource, ScopeKey) \
      DO UPDATE SET NameTimestamp = \(greatest)(\(bare).NameTimestamp, excluded.NameTimestamp)
      """
  }
}

/// One scope of one provider's resource: where a watermark is kept (load-semantics §8).
public struct ScopeID: Hashable, Sendable {
  public let provider: ProviderName
  public let resource: ResourceKind
  public let scopeKey: String

  public init(provider: ProviderName, resource: ResourceKind, scopeKey: String) {
    self.provider = provider
    self.resource = resource
    self.scopeKey = scopeKey
  }
}

extension Array {
  func chunked(into size: Int) -> [ArraySlice<Element>] {
    stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
  }
}
