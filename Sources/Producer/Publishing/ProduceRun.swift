import Archive
import ExtractorTree
import Foundation
import Logging
import Messages
import Store

/// `lmsds produce`: scan the roots, skip what the ledger already holds, publish the rest in
/// apply order (load-semantics §3), and record each file `published` once the broker holds it.
///
/// Within a provider each send is awaited before the next (`ProviderLanes`; providers send side
/// by side), so a broker error stops the run with every earlier file of that provider in the
/// topic and the ledger and no later one in either: a provider's files never reach the topic out
/// of order, and the next run resumes where this one stopped. The ledger rows follow
/// the broker's acknowledgements, `publishedRowsPerWrite` at a time (one statement each, where a
/// row per file cost a round trip and a commit per file: a third of the run); a crash between
/// the two publishes those files again next time, which the worker's ledger turns into
/// `duplicate`s.
public struct ProduceRun {
  public let connection: any SQLConnection
  public let publisher: any FilePublishing
  public let logger: Logger
  public let options: ProduceOptions
  /// The topic's watermarks, to find `published` files whose message the topic lost; without
  /// it, only `--republish-unapplied` sends them again.
  public let topicProbe: TopicProbe?
  /// `--archive`: each file's bytes are stored there before its message is sent, so a worker
  /// can apply the message after the root rewrote or rotated the file.
  public let archive: FileArchive?

  public init(
    connection: any SQLConnection, publisher: any FilePublishing, logger: Logger,
    options: ProduceOptions, topicProbe: TopicProbe? = nil, archive: FileArchive? = nil
  ) {
    self.archive = archive
    self.connection = connection
    self.publisher = publisher
    self.logger = logger
    self.options = options
    self.topicProbe = topicProbe
  }

  /// One file to send, and why.
  enum Reason: Sendable { case new, retry, republish, lost }

  /// How many `published` rows wait for the next ledger write at most.
  static let publishedRowsPerWrite = 200

  /// Runs once. Broker errors end up in `summary.failure` (with what was done before them);
  /// scanning and database errors are thrown.
  public func run(_ roots: [SourceRoot], now: @escaping @Sendable () -> Date = { Date() })
    async throws
    -> ProduceSummary
  {
    try await run(roots.map(RootWalk.init), now: now)
  }

  /// Runs once over roots already walked (the command surveyed them first).
  public func run(_ walks: [RootWalk], now: @escaping @Sendable () -> Date = { Date() })
    async throws
    -> ProduceSummary
  {
    let roots = walks.map(\.root)
    let ledger = Ledger(connection: connection)
    var summary = ProduceSummary()
    var known: [ProviderName: [String: KnownFile]] = [:]
    var retryable: Set<FileIdentity> = []
    for root in roots {
      known[root.provider] = try ledger.knownFiles(provider: root.provider)
      if options.retryRejected {
        retryable.formUnion(try ledger.rejectedAwaitingRetry(provider: root.provider))
      }
      summary.providers[root.provider] = ProduceSummary.ProviderCounts()
    }
    if roots.contains(where: { !(known[$0.provider]?.isEmpty ?? true) }) {
      summary.providersWithoutHistory = roots.map(\.provider).filter { known[$0]?.isEmpty ?? true }
    }

    let scan = try SourceScanner(settleSeconds: options.settleSeconds).scan(walks, now: now()) {
      provider, path, size, modified in
      known[provider]?[path]?.sha256(ifUnchangedSize: size, modified: modified)
    }
    summary.unrecognized = scan.unrecognized
    summary.unsettled = scan.unsettled
    summary.unreadable = scan.unreadable
    summary.linksOutside = scan.linksOutside
    for path in scan.linksOutside {
      logger.warning("link leads outside its root; not read", metadata: ["path": "\(path)"])
    }
    for path in scan.unreadable { logger.warning("cannot read", metadata: ["path": "\(path)"]) }

    var queue: [(ScannedFile, Reason)] = []
    var republishing: Set<FileIdentity> = []
    let unapplied = try unappliedFiles(roots, ledger: ledger, now: now(), summary: &summary)
    if !unapplied.isEmpty {
      // Sent before this scan's new files: they were found by an earlier scan (§3).
      var onDisk: [FileIdentity: ScannedFile] = [:]
      for file in scan.files { onDisk[file.identity] = file }
      var found: [(ScannedFile, Reason)] = []
      for (entry, reason) in unapplied {
        let identity = FileIdentity(
          provider: entry.provider, relativePath: entry.relativePath, sha256: entry.sha256)
        if let file = onDisk[identity] ?? archivedCopy(of: entry, roots: roots) {
          found.append((file, reason))
          republishing.insert(identity)
        } else {
          // The worker would reject it (missing or changed); a changed file is a new identity
          // that this scan publishes anyway.
          summary.unappliedNotOnDisk.append("\(entry.provider)/\(entry.relativePath)")
        }
      }
      queue += found.sorted { ScannedFile.applyOrder($0.0, $1.0) }
    }
    for file in scan.files where !republishing.contains(file.identity) {
      let outcomes = known[file.provider]?[file.relativePath]?.outcomes[file.sha256] ?? []
      if outcomes.isEmpty {
        queue.append((file, .new))
      } else if retryable.contains(file.identity) {
        queue.append((file, .retry))
      } else {
        summary.providers[file.provider, default: .init()].alreadyInLedger += 1
      }
    }
    logger.info(
      "scan done",
      metadata: [
        "to_publish": "\(queue.count)", "unsettled": "\(scan.unsettled.count)",
        "unrecognized": "\(scan.unrecognized.count)", "scan_id": "\(options.scanID)",
      ])

    var published: [LedgerEntry] = []
    let lanes = ProviderLanes(
      publisher: publisher, archive: archive, scanID: options.scanID, now: now)
    try await lanes.send(queue) { event in
      switch event {
      case .changed(_, let message, let reason):
        // Its new content is a new identity that the next scan publishes.
        summary.warnings.append("not published: \(reason)")
        logger.warning("not published: changed since the scan", metadata: message.logMetadata)
      case .stopped(let file, let message, let what, let error):
        // The first failure ends the run; the other lanes stop before their next send.
        summary.failure =
          summary.failure ?? "\(what) \(file.provider)/\(file.relativePath): \(error)"
        logger.error(
          "publishing stopped", metadata: message.logMetadata.merging(["error": "\(error)"]) { $1 })
      case .published(let file, let reason, let message, let receipt, let time):
        published.append(
          PublishedEntry.make(
            message, receipt: receipt, modifiedTime: CanonicalTime.text(file.modifiedTime),
            publishedBy: options.publishedBy, at: time))
        // A worker takes a rejected identity's message for a re-offer when it was published after
        // the rejection, or when a `published` row follows the rejection: the row is the rule
        // that holds whatever the hosts' clocks say, so a re-offer's is written at once.
        if published.count >= Self.publishedRowsPerWrite || reason == .retry {
          try ledger.record(published)
          published.removeAll(keepingCapacity: true)
        }
        switch reason {
        case .new: summary.providers[file.provider, default: .init()].published += 1
        case .retry:
          summary.providers[file.provider, default: .init()].published += 1
          summary.providers[file.provider, default: .init()].retried += 1
        case .republish: summary.providers[file.provider, default: .init()].republished += 1
        case .lost: summary.providers[file.provider, default: .init()].republishedLost += 1
        }
        logger.debug(
          "published", metadata: message.logMetadata.merging(["at": "\(receipt)"]) { $1 })
      }
    }
    // Also after a broker error: every file the broker acknowledged is recorded.
    try ledger.record(published)
    return summary
  }

  /// An unapplied file gone from its root whose bytes the archive holds: sent again from there,
  /// as a worker with the same archive applies it. Its modification time is the copy's, which no
  /// later file at that path will share, so the next scan re-hashes whatever is there.
  func archivedCopy(of entry: LedgerEntry, roots: [SourceRoot]) -> ScannedFile? {
    let identity = FileIdentity(
      provider: entry.provider, relativePath: entry.relativePath, sha256: entry.sha256)
    guard let archive, let path = archive.held(identity, size: entry.size),
      let root = roots.first(where: { $0.provider == entry.provider }),
      let location = ResourceLocation(relativePath: entry.relativePath),
      let stored = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate]
        as? Date
    else { return nil }
    return ScannedFile(
      provider: entry.provider, rootPath: root.path, relativePath: entry.relativePath,
      location: location, size: entry.size, modifiedTime: stored, absolutePath: path,
      sha256: entry.sha256)
  }

  /// The `published` files with no outcome yet that this run sends again: those whose message
  /// the topic lost (always), and with `--republish-unapplied` those older than
  /// `unappliedAfter`. Older ones left alone are counted and warned about: a fleet that is
  /// stopped or stuck, or a loss the watermarks cannot show.
  func unappliedFiles(
    _ roots: [SourceRoot], ledger: Ledger, now: Date, summary: inout ProduceSummary
  ) throws -> [(LedgerEntry, Reason)] {
    var all: [LedgerEntry] = []
    for root in roots {
      all += try ledger.unappliedPublished(olderThan: now, provider: root.provider)
    }
    // One query per root, every run: the old ones are picked from it. Canonical time text
    // orders as the times do.
    let cutoff = CanonicalTime.text(now.addingTimeInterval(-options.unappliedAfter))
    let old = all.filter { $0.startedAt < cutoff }
    var lost: [LostMessage] = []
    if let topicProbe, !all.isEmpty {
      do {
        // Asked before this run publishes anything, so its own messages cannot hide a loss.
        let finder = LostMessageFinder(
          topic: topicProbe.topic, watermarks: try topicProbe.watermarks())
        lost = finder.lost(all)
      } catch {
        summary.warnings.append(
          "cannot read the watermarks of \(topicProbe.topic) to find lost messages: \(error)")
      }
    }
    func key(_ entry: LedgerEntry) -> FileIdentity {
      FileIdentity(provider: entry.provider, relativePath: entry.relativePath, sha256: entry.sha256)
    }
    var resend: [(LedgerEntry, Reason)] = lost.map { ($0.entry, .lost) }
    var chosen = Set(lost.map { key($0.entry) })
    for item in lost { summary.lostFromTopic[item.loss, default: 0] += 1 }
    if !lost.isEmpty {
      let reasons = summary.lostFromTopic.sorted { $0.key < $1.key }
        .map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ",")
      logger.warning(
        "the topic no longer holds messages of published files; publishing them again",
        metadata: [
          "files": "\(lost.count)", "topic": "\(lost[0].receipt.topic)", "reasons": "\(reasons)",
        ])
    }
    if options.republishUnapplied {
      for entry in old where chosen.insert(key(entry)).inserted {
        resend.append((entry, .republish))
      }
    }
    let stale = old.filter { !chosen.contains(key($0)) }
    summary.staleUnapplied = stale.count
    if let oldest = stale.min(by: { $0.startedAt < $1.startedAt }) {
      logger.warning(
        "published files still have no outcome",
        metadata: [
          "files": "\(stale.count)", "older_than_seconds": "\(Int(options.unappliedAfter))",
          "oldest_published_at": "\(oldest.startedAt)",
          "oldest": "\(oldest.provider)/\(oldest.relativePath)",
        ])
    }
    return resend
  }
}
