import Archive
import ExtractorTree
import Foundation
import Logging
import Messages
import Store

/// `lmsds load`: the producer's scan feeding the worker's applier in one process.
public struct EmbeddedLoad {
  public let connection: any SQLConnection
  public let logger: Logger
  public let options: ApplyOptions
  public let settleSeconds: Double
  /// By default 2,000 files set-based (fewer, larger waves) and 500 file by file, where every
  /// file's savepoint makes each later statement of the transaction slower.
  public let filesPerTransaction: Int
  /// `--archive`: every new file is copied there before any commit and applied from the copy.
  public let archive: FileArchive?

  public init(
    connection: any SQLConnection, logger: Logger, options: ApplyOptions,
    settleSeconds: Double = 30, filesPerTransaction: Int? = nil, archive: FileArchive? = nil
  ) {
    self.archive = archive
    self.connection = connection
    self.logger = logger
    self.options = options
    self.settleSeconds = settleSeconds
    self.filesPerTransaction =
      filesPerTransaction ?? (options.mergesWaves(on: connection.dialect) ? 2_000 : 500)
  }

  /// Scans `roots` and applies every new file; `applied` sees each result once committed.
  public func run(_ roots: [SourceRoot], applied: (ApplyResult) -> Void = { _ in }) throws
    -> LoadSummary
  {
    try run(roots.map(RootWalk.init), applied: applied)
  }

  /// Scans roots already walked (the command surveyed them first) and applies every new file.
  public func run(_ walks: [RootWalk], applied: (ApplyResult) -> Void = { _ in }) throws
    -> LoadSummary
  {
    let roots = walks.map(\.root)
    let ledger = Ledger(connection: connection)
    var known: [ProviderName: [String: KnownFile]] = [:]
    for root in roots { known[root.provider] = try ledger.knownFiles(provider: root.provider) }
    warnAboutNewProviders(roots, known: known)

    // A path the ledger has never seen is read once, by the load that stages it (issue 9, item
    // 6): no digest could make it a duplicate, so hashing it first would only read it twice. The
    // archive hashes what it copies, so with one every file is hashed by the scan.
    let scan = try SourceScanner(settleSeconds: settleSeconds).scan(walks) {
      provider, path, size, modified in
      guard let seen = known[provider]?[path] else { return archive == nil ? .reader : .hash }
      return seen.sha256(ifUnchangedSize: size, modified: modified).map { .known($0) } ?? .hash
    }
    var summary = LoadSummary()
    summary.unrecognized = scan.unrecognized
    summary.unsettled = scan.unsettled.count
    for path in scan.linksOutside {
      logger.warning("link leads outside its root; not read", metadata: ["path": "\(path)"])
    }
    for path in scan.unreadable { logger.warning("cannot read", metadata: ["path": "\(path)"]) }

    var found: [(file: SettledFile, sha256: SHA256Digest?)] = scan.leftToReader.map { ($0, nil) }
    for file in scan.files {
      let outcomes = known[file.provider]?[file.relativePath]?.outcomes[file.sha256] ?? []
      if OutcomeDecider(retryRejected: options.retryRejected).isKnown(outcomes) {
        summary.alreadyInLedger += 1
        continue
      }
      found.append((file.settled, file.sha256))
    }
    if !scan.leftToReader.isEmpty, !scan.files.isEmpty {
      found.sortInApplyOrder(of: \.file)
    }
    var pending = found.map { file, sha256 in
      FileToApply(
        provider: file.provider, absolutePath: file.absolutePath,
        relativePath: file.relativePath, location: file.location, sha256: sha256,
        size: file.size, modifiedTime: CanonicalTime.text(file.modifiedTime))
    }
    logger.info(
      "scan done",
      metadata: [
        "new": "\(pending.count)", "already_in_ledger": "\(summary.alreadyInLedger)",
        "unsettled": "\(scan.unsettled.count)", "unrecognized": "\(scan.unrecognized.count)",
      ])

    if let archive { try store(&pending, in: archive) }

    let transaction = ApplyTransaction(connection: connection, options: options, logger: logger)
    let batches = BatchApplier(
      transaction: transaction, maxFilesPerTransaction: filesPerTransaction)
    try batches.apply(pending) { result in
      summary.add(result)
      log(result)
      applied(result)
    }
    return summary
  }

  /// Archives the files before the first commit, so no ledger row ever lacks its bytes; reading
  /// them back from the archive applies exactly the bytes kept. A file that changed since the
  /// scan stays on its root path, where the applier rejects it as it would without an archive.
  private func store(_ files: inout [FileToApply], in archive: FileArchive) throws {
    for index in files.indices {
      let file = files[index]
      // The scan hashes every file when there is an archive.
      guard let identity = file.identity else { continue }
      switch try archive.store(path: file.absolutePath, identity: identity, size: file.size) {
      case .archived(let path): files[index].absolutePath = path
      case .changed(let reason):
        logger.warning("not archived", metadata: ["reason": "\(reason)"])
      }
    }
  }

  /// The metadata is built only for a line the log level lets through (swift-log takes it as an
  /// autoclosure): a line per file would otherwise cost every file of a night its dictionary.
  private func log(_ result: ApplyResult) {
    let counts = result.entry.counts
    switch result.entry.outcome {
    case .rejected:
      logger.error("file rejected", metadata: result.logMetadata)
    case .loaded where counts.invalid + counts.orphans > 0:
      logger.warning(
        "file loaded with rows set aside",
        metadata: result.logMetadata.merging(["problems": "\(result.entry.message ?? "")"]) {
          $1
        })
    case .loaded:
      logger.debug("file loaded", metadata: result.logMetadata)
    default:
      logger.info("file not applied", metadata: result.logMetadata)
    }
  }

  /// A provider with no history beside providers that have one is most often a renamed root:
  /// every file's identity changed with it.
  private func warnAboutNewProviders(
    _ roots: [SourceRoot], known: [ProviderName: [String: KnownFile]]
  ) {
    let withHistory = roots.filter { !(known[$0.provider]?.isEmpty ?? true) }
    guard !withHistory.isEmpty else { return }
    for root in roots where known[root.provider]?.isEmpty ?? true {
      logger.warning(
        "provider has no ledger history while others do; if its root was renamed, every file will load again under the new name",
        metadata: ["provider": "\(root.provider)"])
    }
  }
}
