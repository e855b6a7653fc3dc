import CoreMetrics
import Messages
import UDM

/// What a worker reports to a metrics backend (Prometheus through `lmsds work --http-port`).
/// Counters move only once the database commit covering a file is done, so a scrape never counts
/// work that a crash then rolls back.
///
/// Names follow Prometheus conventions (`_total` counters, `_seconds` units); the label set of a
/// name never changes.
public struct FleetMetrics: Sendable {
  private let factory: any MetricsFactory
  /// The newest snapshot recorded per provider: the gauge never goes back (a forced replay of an
  /// older file, a scope that lags behind).
  private let newestSnapshot = LockedValue<[String: Int]>([:])

  /// Buckets for file apply times: most files take milliseconds, the large ones minutes.
  public static let applyDurationBuckets: [Duration] = [
    .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
    .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2),
    .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
  ]

  /// - Parameter factory: the backend; the process-wide one (a no-op until bootstrapped) by default.
  public init(factory: any MetricsFactory = MetricsSystem.factory) {
    self.factory = factory
  }

  /// Metric names, as scraped.
  public enum Name {
    public static let filesApplied = "lmsds_files_applied_total"
    public static let filesRejected = "lmsds_files_rejected_total"
    public static let filesSuperseded = "lmsds_files_superseded_total"
    public static let filesDuplicate = "lmsds_files_duplicate_total"
    public static let rowsInserted = "lmsds_rows_inserted_total"
    public static let rowsUpdated = "lmsds_rows_updated_total"
    public static let rowsRestored = "lmsds_rows_restored_total"
    public static let rowsSoftDeleted = "lmsds_rows_soft_deleted_total"
    public static let rowsOrphaned = "lmsds_rows_orphaned_total"
    public static let rowsInvalid = "lmsds_rows_invalid_total"
    public static let applyDuration = "lmsds_file_apply_duration_seconds"
    public static let filesInFlight = "lmsds_files_in_flight"
    public static let lastAppliedSnapshot = "lmsds_last_applied_file_timestamp_seconds"
    public static let unappliedFiles = "lmsds_unapplied_published_files"
    public static let partitionParked = "lmsds_partition_parked"
    /// Written by the endpoint itself (`BuildInfoMetric`), not through the factory.
    public static let buildInfo = "lmsds_build_info"

    /// Every name above (docs/operations.md lists the same; a test compares them).
    public static let all = [
      filesApplied, filesRejected, filesSuperseded, filesDuplicate, rowsInserted, rowsUpdated,
      rowsRestored, rowsSoftDeleted, rowsOrphaned, rowsInvalid, applyDuration, filesInFlight,
      lastAppliedSnapshot, unappliedFiles, partitionParked, buildInfo,
    ]
  }

  /// The `# HELP` text of each name. swift-metrics has no place for it, so the `/metrics`
  /// endpoint adds these lines to what the registry emits (`MetricsHelp.annotate`).
  public static let help: [String: String] = [
    Name.filesApplied: "Files loaded (committed with their ledger row).",
    Name.filesRejected: "Files rejected; the ledger row says why.",
    Name.filesSuperseded: "Files skipped because a newer snapshot of their scope was applied.",
    Name.filesDuplicate: "Files whose identity the ledger already held.",
    Name.rowsInserted: "Rows inserted by loaded files.",
    Name.rowsUpdated: "Rows updated by loaded files.",
    Name.rowsRestored: "Soft-deleted rows brought back by loaded files.",
    Name.rowsSoftDeleted: "Rows soft-deleted because a snapshot no longer held them.",
    Name.rowsOrphaned: "Rows set aside because their parent is unknown.",
    Name.rowsInvalid: "Rows set aside as invalid.",
    Name.applyDuration: "Time to apply one file, from its read to its commit.",
    Name.filesInFlight: "Files inside the database transaction now open.",
    Name.lastAppliedSnapshot:
      "Snapshot time (from the file name, seconds since 1970 UTC) of the newest file applied per provider.",
    Name.unappliedFiles:
      "Files published longer ago than --unapplied-after that no worker has given an outcome yet (the whole fleet's, from the ledger).",
    Name.partitionParked:
      "1 while this worker holds the partition parked at a message it cannot apply yet (reason: no_source_root, unsupported_version), 0 once it resumed or moved.",
    Name.buildInfo:
      "The lmsds version this process runs, as its version label; the value is always 1.",
  ]

  /// Records a file whose outcome is durable.
  func committed(_ result: ApplyResult) {
    let entry = result.entry
    let labels = [("provider", entry.provider.rawValue), ("resource", entry.resource.rawValue)]
    let fileCounter: String
    switch entry.outcome {
    case .loaded: fileCounter = Name.filesApplied
    case .rejected: fileCounter = Name.filesRejected
    case .superseded: fileCounter = Name.filesSuperseded
    case .duplicate: fileCounter = Name.filesDuplicate
    case .published: return
    }
    Counter(label: fileCounter, dimensions: labels, factory: factory).increment()
    guard entry.outcome == .loaded else { return }

    let counts = entry.counts
    for (name, value) in [
      (Name.rowsInserted, counts.inserted), (Name.rowsUpdated, counts.updated),
      (Name.rowsRestored, counts.restored), (Name.rowsSoftDeleted, counts.softDeleted),
      (Name.rowsOrphaned, counts.orphans), (Name.rowsInvalid, counts.invalid),
    ] {
      // Created even at zero, so every series exists from the first file on (rate() needs that).
      Counter(label: name, dimensions: labels, factory: factory).increment(by: value)
    }
    if let duration = result.applyDuration {
      Timer(label: Name.applyDuration, dimensions: labels, factory: factory)
        .recordNanoseconds(duration.nanoseconds)
    }
    let provider = entry.provider.rawValue
    let snapshot = Self.unixSeconds(entry.nameTimestamp)
    let newest = newestSnapshot.update { newest in
      newest[provider] = max(newest[provider] ?? snapshot, snapshot)
      return newest[provider]!
    }
    Gauge(label: Name.lastAppliedSnapshot, dimensions: [("provider", provider)], factory: factory)
      .record(newest)
  }

  /// Files inside the database transaction now open (0 between transactions).
  func inFlight(_ files: Int) {
    Gauge(label: Name.filesInFlight, factory: factory).record(files)
  }

  /// Published files past `--unapplied-after` with no outcome, as the last check found them.
  func unapplied(_ files: Int) {
    Gauge(label: Name.unappliedFiles, factory: factory).record(files)
  }

  /// A partition parked (1) or no longer parked here (0). The series stays at 0 afterwards
  /// rather than vanishing, as every swift-metrics gauge does; alert on the value.
  func parked(_ entry: ParkedPartitions.Entry, _ isParked: Bool) {
    Gauge(
      label: Name.partitionParked,
      dimensions: [
        ("partition", "\(entry.partition.partition)"), ("provider", entry.provider),
        ("reason", entry.reason.kind.rawValue),
      ], factory: factory
    ).record(isParked ? 1 : 0)
  }

  /// The snapshot time a file name carries, as seconds since 1970 (UTC).
  static func unixSeconds(_ timestamp: NameTimestamp) -> Int {
    let days = CivilCalendar.daysSinceEpoch(
      year: timestamp.year, month: timestamp.month, day: timestamp.day)
    return days * 86_400 + timestamp.hour * 3_600 + timestamp.minute * 60 + timestamp.second
  }
}

extension Duration {
  /// Whole nanoseconds (saturating).
  var nanoseconds: Int64 {
    let (seconds, attoseconds) = components
    let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return seconds < 0 ? .min : .max }
    return product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
  }
}
