import Foundation
import Messages
import Store

/// What one run did, for the closing table and the exit status.
public struct LoadSummary: Sendable {
  public private(set) var files: [FileOutcome: Int] = [:]
  public private(set) var rows = RowCounts()
  /// Files the scan skipped because the ledger already holds their identity.
  public var alreadyInLedger = 0
  public var unrecognized: [String] = []
  public var unsettled = 0
  public private(set) var rejected: [LedgerEntry] = []
  /// Files whose rows went straight into empty scopes, without the staged merge.
  public private(set) var filledDirectly = 0
  /// The database written to, password masked; set by the command.
  public var database: String?
  /// Wall-clock seconds of the whole run; set by the command.
  public var elapsedSeconds: Double?
  /// Roots that held no LMS-UDM file, each with its likely mistake: a run that found nothing
  /// to load must not look like a quiet night.
  public var rootProblems: [String] = []

  public init() {}

  public mutating func add(_ result: ApplyResult) {
    files[result.outcome, default: 0] += 1
    rows = rows + result.counts
    if result.outcome == .rejected { rejected.append(result.entry) }
    if result.filledDirectly { filledDirectly += 1 }
  }

  public func count(_ outcome: FileOutcome) -> Int { files[outcome, default: 0] }

  /// 3 when this run recorded a rejected file or an invalid row, or a root held no recognised
  /// file (architecture.md, exit status).
  public var exitCode: Int32 {
    !rejected.isEmpty || rows.invalid > 0 || !rootProblems.isEmpty ? 3 : 0
  }

  /// The closing table.
  public func render() -> String {
    func row(_ label: String, _ value: Int) -> String {
      let number = String(value)
      return "  " + label.padding(toLength: 22, withPad: " ", startingAt: 0)
        + String(repeating: " ", count: max(0, 10 - number.count)) + number
    }
    var lines: [String] = []
    if let database { lines.append("Database  \(database)") }
    lines.append("Files")
    lines.append(row("loaded", count(.loaded)))
    lines.append(row("rejected", count(.rejected)))
    lines.append(row("superseded", count(.superseded)))
    lines.append(row("duplicate", count(.duplicate) + alreadyInLedger))
    if unsettled > 0 { lines.append(row("left to settle", unsettled)) }
    if !unrecognized.isEmpty { lines.append(row("unrecognized .csv", unrecognized.count)) }
    lines.append("Rows")
    lines.append(row("read", rows.rowsRead))
    lines.append(row("inserted", rows.inserted))
    lines.append(row("updated", rows.updated))
    lines.append(row("restored", rows.restored))
    lines.append(row("unchanged", rows.unchanged))
    lines.append(row("soft-deleted", rows.softDeleted))
    lines.append(row("orphaned", rows.orphans))
    lines.append(row("invalid", rows.invalid))
    lines.append(row("rounded", rows.rounded))
    for entry in rejected.prefix(20) {
      lines.append("rejected: \(entry.provider)/\(entry.message ?? entry.relativePath)")
    }
    if rejected.count > 20 { lines.append("… and \(rejected.count - 20) more rejected files") }
    if let elapsedSeconds {
      let rate = elapsedSeconds > 0 ? Double(rows.rowsRead) / elapsedSeconds : 0
      lines.append(
        "Elapsed   \(String(format: "%.2f", elapsedSeconds)) s, \(Int(rate.rounded())) rows/s")
    }
    for path in unrecognized.prefix(10) { lines.append("unrecognized: \(path)") }
    for problem in rootProblems { lines.append("nothing to load: \(problem)") }
    return lines.joined(separator: "\n")
  }
}
