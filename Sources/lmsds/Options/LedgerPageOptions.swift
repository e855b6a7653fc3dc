import ArgumentParser
import LedgerPages

/// How the ledger pages judge freshness; shared by `serve` and `work`, which both serve them.
struct LedgerPageOptions: ParsableArguments {
  @Option(
    name: .customLong("stale-after"),
    help: ArgumentHelp(
      "Flag a provider with no file for more than this many hours, and a resource whose newest snapshot is this much older than its provider's newest.",
      valueName: "hours"))
  var staleAfter: Double = Staleness.defaultHours

  func validate() throws {
    guard staleAfter > 0, staleAfter.isFinite else {
      throw ValidationError("--stale-after must be a positive number of hours")
    }
  }

  var staleness: Staleness { Staleness(hours: staleAfter) }
}
