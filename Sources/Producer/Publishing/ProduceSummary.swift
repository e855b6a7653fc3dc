import Messages

/// What one `lmsds produce` run did, for the closing table and the exit status.
public struct ProduceSummary: Sendable, Hashable {
  /// Per provider: what happened to the files its scan found.
  public struct ProviderCounts: Sendable, Hashable {
    /// New identities published.
    public var published = 0
    /// Of `published`, identities that were rejected before (`--retry-rejected`).
    public var retried = 0
    /// Identities recorded `published` long ago with no outcome since, published again
    /// (`--republish-unapplied`).
    public var republished = 0
    /// Identities recorded `published` with no outcome whose message the topic no longer holds,
    /// published again.
    public var republishedLost = 0
    /// Identities the ledger already holds (any outcome, `published` included): not sent.
    public var alreadyInLedger = 0

    public init() {}
  }

  public var providers: [ProviderName: ProviderCounts] = [:]
  /// `.csv` files that are not LMS-UDM files: reported, never read.
  public var unrecognized: [String] = []
  /// Files still being written (inside the settle window): left for the next run.
  public var unsettled: [String] = []
  public var unreadable: [String] = []
  public var linksOutside: [String] = []
  /// Unapplied `published` identities that `--republish-unapplied` could not send because the
  /// root no longer holds those bytes (the file was removed or rewritten).
  public var unappliedNotOnDisk: [String] = []
  /// Why the files counted in `republishedLost` (and those gone from disk) were judged lost.
  public var lostFromTopic: [MessageLoss: Int] = [:]
  /// Files published longer than `--unapplied-after` ago that still have no outcome and were not
  /// sent again: a fleet that is stopped or stuck, or a loss the topic's offsets do not show.
  public var staleUnapplied = 0
  /// Providers with no ledger history found beside providers that have some (a renamed root?).
  public var providersWithoutHistory: [ProviderName] = []
  public var topicsCreated: [String] = []
  public var warnings: [String] = []
  /// Set when publishing stopped at a broker error; everything counted before it is in the
  /// topic and the ledger.
  public var failure: String?
  /// Roots that held no LMS-UDM file, each with its likely mistake; set by the command.
  public var rootProblems: [String] = []

  public init() {}

  public var totalPublished: Int {
    providers.values.reduce(0) { $0 + $1.published + $1.republished + $1.republishedLost }
  }

  /// 0 when done, 1 when publishing stopped at a broker error, 3 when a root held no LMS-UDM
  /// file (architecture.md, Exit status). A producer records no `rejected` file nor invalid row;
  /// unreadable files are listed and logged as warnings instead.
  public var exitCode: Int32 { failure != nil ? 1 : rootProblems.isEmpty ? 0 : 3 }

  public func render() -> String {
    func row(_ label: String, _ value: Int) -> String {
      let number = String(value)
      return "  " + label.padding(toLength: 28, withPad: " ", startingAt: 0)
        + String(repeating: " ", count: max(0, 8 - number.count)) + number
    }
    var lines: [String] = []
    for name in providers.keys.sorted() {
      let counts = providers[name]!
      lines.append("Provider \(name)")
      lines.append(row("published", counts.published))
      if counts.retried > 0 { lines.append(row("  of which rejected before", counts.retried)) }
      if counts.republished > 0 { lines.append(row("republished (unapplied)", counts.republished)) }
      if counts.republishedLost > 0 {
        lines.append(row("republished (lost in topic)", counts.republishedLost))
      }
      lines.append(row("already in ledger", counts.alreadyInLedger))
    }
    lines.append("Files")
    lines.append(row("published", totalPublished))
    lines.append(row("left to settle", unsettled.count))
    lines.append(row("unrecognized .csv", unrecognized.count))
    if !unreadable.isEmpty { lines.append(row("unreadable", unreadable.count)) }
    if !linksOutside.isEmpty { lines.append(row("links outside the root", linksOutside.count)) }
    if !unappliedNotOnDisk.isEmpty {
      lines.append(row("unapplied, gone from disk", unappliedNotOnDisk.count))
    }
    if staleUnapplied > 0 { lines.append(row("published, still unapplied", staleUnapplied)) }
    for (loss, count) in lostFromTopic.sorted(by: { $0.key < $1.key }) {
      lines.append("lost in topic: \(count) file\(count == 1 ? "" : "s"), \(loss.explanation)")
    }
    for topic in topicsCreated { lines.append("created topic \(topic)") }
    for warning in warnings { lines.append("warning: \(warning)") }
    for name in providersWithoutHistory {
      lines.append(
        "warning: provider \(name) has no ledger history while others do; if its root was renamed, "
          + "its files are published again under the new name")
    }
    for path in unrecognized.prefix(10) { lines.append("unrecognized: \(path)") }
    if unrecognized.count > 10 {
      lines.append("… and \(unrecognized.count - 10) more unrecognized files")
    }
    for path in unreadable.prefix(10) { lines.append("unreadable: \(path)") }
    for path in unappliedNotOnDisk.prefix(10) { lines.append("unapplied, gone from disk: \(path)") }
    for problem in rootProblems { lines.append("nothing to publish: \(problem)") }
    if let failure { lines.append("stopped: \(failure)") }
    return lines.joined(separator: "\n")
  }
}
