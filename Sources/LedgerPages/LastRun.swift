import Foundation
import Messages
import Store

/// A provider's last run, read from its newest ledger rows.
///
/// The ledger has no run table, and `lmsds load` writes no ScanId, so a run is taken to be a
/// burst of activity: the provider's newest row, and every row before it whose StartedAt is at
/// most `gap` earlier than the row after it. Nightly runs are a day apart, while files of one run
/// start minutes apart at most, so an hour's gap separates them. Rows that share the newest row's
/// ScanId (a producer scan and the workers' rows for its files) belong to the run whatever the gap.
/// Only the newest `window` rows are looked at, which keeps the page cheap on a large ledger.
struct LastRun {
  static let gap: TimeInterval = 3600
  static let window = 500

  /// The newest row of each file in the run, newest first: a file published and then loaded
  /// shows once, as loaded.
  let files: [LedgerRecord]
  let startedAt: String
  let lastAt: String
  /// The window was full before the run's start was found: older files of the run are not shown.
  let truncated: Bool

  init?(newestFirst rows: [LedgerRecord]) {
    guard let newest = rows.first else { return nil }
    var members = [newest]
    var previous = LedgerInstant.date(newest.entry.startedAt)
    var reachedStart = false
    for record in rows.dropFirst() {
      let sameScan = newest.entry.scanID != nil && record.entry.scanID == newest.entry.scanID
      let started = LedgerInstant.date(record.entry.startedAt)
      let close: Bool
      if let previous, let started {
        close = previous.timeIntervalSince(started) <= Self.gap
      } else {
        close = false
      }
      guard sameScan || close else {
        reachedStart = true
        break
      }
      members.append(record)
      if let started { previous = started }
    }
    var seen: Set<FileIdentity> = []
    files = members.filter { record in
      let entry = record.entry
      return seen.insert(
        FileIdentity(
          provider: entry.provider, relativePath: entry.relativePath, sha256: entry.sha256)
      ).inserted
    }
    startedAt = members.last!.entry.startedAt
    lastAt = newest.entry.startedAt
    truncated = !reachedStart && rows.count >= Self.window
  }

  func count(_ outcome: FileOutcome) -> Int { files.filter { $0.entry.outcome == outcome }.count }

  /// Loaded files that set rows aside: invalid rows or orphans.
  var loadedWithProblems: Int {
    files.filter {
      $0.entry.outcome == .loaded && ($0.entry.counts.invalid > 0 || $0.entry.counts.orphans > 0)
    }.count
  }
}
