import Foundation
import Messages
import Store

/// A ledger written row by row at fixed times, for what real loads cannot stage on a test's
/// clock: two nightly runs a day apart, every kind of rejection, stale resources.
///
/// Provider `north`: the night of 1 January loaded users and sections and rejected one file; the
/// night of 2 January (02:00–02:10) published then loaded a users file with invalid rows and
/// orphans, loaded an enrollment-free sections file, superseded an older one and rejected one file
/// of each reason kind. Grades' newest snapshot is from 29 December: stale against the provider's
/// newest (2 January). Provider `quiet`: one file, on 1 January at 02:00.
final class MorningLedger {
  static let provider = ProviderName("north")
  static let quietProvider = ProviderName("quiet")
  /// Mid-morning after the second run.
  static let morning = MorningLedger.date("2026-01-02 09:00:00")

  /// The message of a rejected file of each hint kind, as the worker words it.
  static let rejections: [(path: String, message: String, hint: String)] = [
    (
      "users/2026-01-02-01-00-01.csv",
      "users/2026-01-02-01-00-01.csv: line 1: required column 'UserRole' missing from the header",
      "fix-file"
    ),
    (
      "sections/2026-01-02-01-00-01.csv",
      "sections/2026-01-02-01-00-01.csv: would soft-delete 90 of 100 live sections of SourceSystem 'LMS1'; refused as a mass delete (--allow-mass-delete lifts this)",
      "mass-delete"
    ),
    (
      "users/2026-01-02-01-00-02.csv",
      "users/2026-01-02-01-00-02.csv: changed after it was hashed: read 10 bytes with SHA-256 aa, expected 12 bytes with SHA-256 bb; the next scan takes the new content as a new file",
      "changed-on-disk"
    ),
    (
      "users/2026-01-02-01-00-03.csv",
      "users/2026-01-02-01-00-03.csv: the database refused it: value too long for type character varying(255)",
      "database-refused"
    ),
  ]

  let database: TestDatabase
  private(set) var ids: [String: Int64] = [:]

  init(_ kind: TestDatabase.Kind) throws {
    database = try TestDatabase(kind)
    let ledger = Ledger(connection: database.connection)

    // The first night.
    try add(Self.provider, "users/2026-01-01-01-00-00.csv", .loaded, at: "2026-01-01 02:00:00")
    try add(Self.provider, "sections/2026-01-01-01-00-00.csv", .loaded, at: "2026-01-01 02:01:00")
    try add(
      Self.provider, "grades/2025-12-29-01-00-00.csv", .loaded, at: "2026-01-01 02:02:00")
    try add(
      Self.provider, "users/2026-01-01-01-00-01.csv", .rejected, at: "2026-01-01 02:03:00",
      message:
        "users/2026-01-01-01-00-01.csv: line 1: required column 'Name' missing from the header")
    try add(Self.quietProvider, "users/2026-01-01-01-00-00.csv", .loaded, at: "2026-01-01 02:00:00")

    // The second night: each file a few minutes after the one before.
    try add(
      Self.provider, "users/2026-01-02-01-00-00.csv", .published, at: "2026-01-02 02:00:00",
      scan: "scan-2")
    var problems = RowCounts()
    problems.rowsRead = 10
    problems.inserted = 6
    problems.invalid = 3
    problems.orphans = 1
    try add(
      Self.provider, "users/2026-01-02-01-00-00.csv", .loaded, at: "2026-01-02 02:01:00",
      counts: problems, scan: "scan-2")
    try add(
      Self.provider, "sections/2026-01-02-01-00-00.csv", .loaded, at: "2026-01-02 02:02:00")
    try add(
      Self.provider, "sections/2025-12-31-01-00-00.csv", .superseded, at: "2026-01-02 02:03:00",
      message: "older than 2026-01-02 01:00:00, the newest file applied in its scope")
    for (offset, rejection) in Self.rejections.enumerated() {
      try add(
        Self.provider, rejection.path, .rejected, at: "2026-01-02 02:0\(4 + offset):00",
        message: rejection.message)
    }

    for (provider, resource, stamp) in [
      (Self.provider, ResourceKind.users, "2026-01-02 01:00:00"),
      (Self.provider, .sections, "2026-01-02 01:00:00"),
      (Self.provider, .grades, "2025-12-29 01:00:00"),
      (Self.quietProvider, .users, "2026-01-01 01:00:00"),
    ] {
      try ledger.advanceWatermark(
        provider: provider, resource: resource, scopeKey: "", to: NameTimestamp(stamp)!)
    }
  }

  /// The second night's rows of `north`, by path (the users file by its loaded row).
  func id(_ path: String) -> Int64 { ids[path]! }

  static func date(_ text: String) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let stamp = NameTimestamp(text)!
    return calendar.date(
      from: DateComponents(
        year: stamp.year, month: stamp.month, day: stamp.day, hour: stamp.hour,
        minute: stamp.minute, second: stamp.second))!
  }

  private func add(
    _ provider: ProviderName, _ path: String, _ outcome: FileOutcome, at time: String,
    counts: RowCounts = RowCounts(), message: String? = nil, scan: String? = nil
  ) throws {
    let resource = ResourceKind(rawValue: String(path.prefix { $0 != "/" }))!
    let stamp = NameTimestamp(fileName: String(path.split(separator: "/").last!))!
    let entry = LedgerEntry(
      provider: provider, resource: resource, relativePath: path,
      sha256: SHA256Digest(hex: String(repeating: "0", count: 63) + "\(path.count % 10)")!,
      size: 100,
      nameTimestamp: stamp, scopeKey: "", outcome: outcome, counts: counts, message: message,
      startedAt: time + ".000000", finishedAt: outcome == .published ? nil : time + ".500000",
      appliedBy: outcome == .published ? nil : "lmsds", scanID: scan)
    let ledger = Ledger(connection: database.connection)
    try ledger.record(entry)
    let id = try database.connection.query(
      "SELECT MAX(FileLedgerIdentifier) FROM \(ledger.ledgerTable)"
    ).first?.int(0)
    if provider == Self.provider { ids[path] = id }
  }
}
