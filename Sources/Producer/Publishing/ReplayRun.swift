import Archive
import ExtractorTree
import Foundation
import Logging
import Messages
import Store

/// `lmsds replay`: publishes a provider's files again, marked as replay, from a plan made by
/// `ReplayPlanner`, and records each `published` (with `Replay` set) once the broker holds it.
///
/// Files known only from the ledger are re-hashed under the provider's root first: a file that
/// is gone or was rewritten is reported instead of sent, since a worker would only reject it.
public struct ReplayRun {
  public let connection: any SQLConnection
  public let publisher: any FilePublishing
  public let logger: Logger
  public let force: Bool
  /// The provider's root, needed only for files the topic no longer holds.
  public let root: SourceRoot?
  public let scanID: String
  public let publishedBy: String
  /// `--archive`: ledger-only files whose bytes it holds are sent without looking at the root,
  /// which may have rotated them away; workers read them from the same archive.
  public let archive: FileArchive?

  public init(
    connection: any SQLConnection, publisher: any FilePublishing, logger: Logger, force: Bool,
    root: SourceRoot?, scanID: String = "replay-" + UUID().uuidString.lowercased(),
    publishedBy: String = "lmsds replay", archive: FileArchive? = nil
  ) {
    self.archive = archive
    self.connection = connection
    self.publisher = publisher
    self.logger = logger
    self.force = force
    self.root = root
    self.scanID = scanID
    self.publishedBy = publishedBy
  }

  /// What was sent.
  public struct Result: Sendable, Hashable {
    public var plan: ReplayPlan
    public var published: [ReplayFile] = []
    /// Ledger-only files whose bytes are no longer under the root.
    public var notOnDisk: [String] = []
    public var failure: String?

    public var exitCode: Int32 { failure == nil ? 0 : 1 }
  }

  /// Plans from `partition` (and the ledger where needed) and publishes.
  public func run(
    provider: ProviderName, from: Date?, partition: ProviderPartition,
    now: @Sendable () -> Date = { Date() }
  ) async throws -> Result {
    let ledger = Ledger(connection: connection)
    let planner = ReplayPlanner(provider: provider, from: from)
    let plan = try planner.plan(
      messages: partition.messages, topicMayMissFiles: partition.mayMissFiles
    ) {
      if let from { return try ledger.entries(provider: provider, startedSince: from) }
      return try ledger.entries(provider: provider)
    }
    return try await publish(plan, now: now)
  }

  /// Publishes a plan: checks ledger-only files under the root, then sends each in order.
  public func publish(_ plan: ReplayPlan, now: @Sendable () -> Date = { Date() }) async throws
    -> Result
  {
    var result = Result(plan: plan)
    if plan.fromLedger > 0 && root == nil && archive == nil {
      throw ReplayError.needsRoot(provider: plan.files[0].provider.rawValue, files: plan.fromLedger)
    }
    let ledger = Ledger(connection: connection)
    for file in plan.files {
      let time = now()
      let message = file.message(scanId: scanID, force: force, publishedAt: time)
      var modifiedTime: String?
      if case .ledger = file.source,
        archive?.held(file.identity, size: file.size) == nil
      {
        guard let root else {
          result.notOnDisk.append(file.relativePath)
          logger.warning(
            "not replayed: the archive does not hold the file and no root was given",
            metadata: message.logMetadata)
          continue
        }
        let path = root.path + "/" + file.relativePath
        let hashed = try? FileHasher.sha256(path: path)
        guard let hashed, hashed.digest == file.sha256, hashed.size == file.size else {
          result.notOnDisk.append(file.relativePath)
          logger.warning(
            "not replayed: the file is gone or no longer holds the bytes the ledger recorded",
            metadata: message.logMetadata.merging(["file": "\(path)"]) { $1 })
          continue
        }
        modifiedTime = FileSystem.status(path, followingLinks: true).map {
          CanonicalTime.text($0.modifiedTime)
        }
      }
      let receipt: PublishReceipt
      do {
        receipt = try await publisher.publish(message)
      } catch {
        result.failure = "cannot publish \(file.provider)/\(file.relativePath): \(error)"
        logger.error(
          "replay stopped", metadata: message.logMetadata.merging(["error": "\(error)"]) { $1 })
        break
      }
      try ledger.record(
        PublishedEntry.make(
          message, receipt: receipt, modifiedTime: modifiedTime, publishedBy: publishedBy, at: time)
      )
      result.published.append(file)
      logger.debug(
        "republished", metadata: message.logMetadata.merging(["at": "\(receipt)"]) { $1 })
    }
    return result
  }
}
