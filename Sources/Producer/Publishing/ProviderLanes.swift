import Archive
import ExtractorTree
import Foundation
import Messages

/// Sends a run's queue one lane per provider: within a provider each send is awaited before the
/// next (its files reach its partition in order, and a failure leaves no later file of it in
/// the topic), while the providers' lanes send at the same time, as their partitions are
/// independent. One send at a time in all cost a broker round trip per file; four providers now
/// wait for one round trip where they waited for four.
///
/// A lane that fails stops every lane before its next send: each other provider's send already
/// under way finishes, and is reported, so every file the broker holds is reported.
struct ProviderLanes: Sendable {
  /// What became of one file of the queue.
  enum Event: Sendable {
    case published(ScannedFile, ProduceRun.Reason, FileMessage, PublishReceipt, sentAt: Date)
    /// The archive found the file changed since the scan: not sent.
    case changed(ScannedFile, FileMessage, reason: String)
    /// The lane stopped at this file (`what` names the step that failed).
    case stopped(ScannedFile, FileMessage, what: String, error: String)
  }

  let publisher: any FilePublishing
  let archive: FileArchive?
  let scanID: String
  let now: @Sendable () -> Date

  /// Sends `queue` (in apply order within each provider) and hands every event to `handle`, on
  /// the caller's task, as the lanes produce them. An error `handle` throws stops the lanes
  /// (leaving the scope cancels them) and is rethrown once they have ended.
  func send(
    _ queue: [(ScannedFile, ProduceRun.Reason)], _ handle: (Event) throws -> Void
  ) async throws {
    var lanes: [ProviderName: [(ScannedFile, ProduceRun.Reason)]] = [:]
    for item in queue { lanes[item.0.provider, default: []].append(item) }
    let (events, continuation) = AsyncStream.makeStream(of: Event.self)
    async let lanesEnded: Void = withTaskGroup(of: Bool.self) { group in
      for lane in lanes.values { group.addTask { await run(lane, continuation) } }
      // A lane that stopped cancels the others: each ends before its next send.
      for await stopped in group where stopped { group.cancelAll() }
      continuation.finish()
    }
    for await event in events { try handle(event) }
    await lanesEnded
  }

  /// Sends one provider's files in order until they are done or the task is cancelled; true when
  /// it stopped at a file that failed.
  private func run(
    _ lane: [(ScannedFile, ProduceRun.Reason)], _ continuation: AsyncStream<Event>.Continuation
  ) async -> Bool {
    for (file, reason) in lane {
      if Task.isCancelled { return false }
      let time = now()
      let message = file.message(scanId: scanID, publishedAt: time)
      if let archive {
        do {
          if case .changed(let why) = try archive.store(
            path: file.absolutePath, identity: file.identity, size: file.size)
          {
            continuation.yield(.changed(file, message, reason: why))
            continue
          }
        } catch {
          // Publishing without the bytes archived would break the archive's promise: stop as
          // for a broker error.
          continuation.yield(.stopped(file, message, what: "cannot archive", error: "\(error)"))
          return true
        }
      }
      do {
        let receipt = try await publisher.publish(message)
        continuation.yield(.published(file, reason, message, receipt, sentAt: time))
      } catch {
        continuation.yield(.stopped(file, message, what: "cannot publish", error: "\(error)"))
        return true
      }
    }
    return false
  }
}
