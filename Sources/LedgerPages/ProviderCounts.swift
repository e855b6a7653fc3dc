import Messages
import Store

/// How many ledger rows a provider has per outcome: arrivals, not distinct files, since one file
/// may arrive more than once (a retried rejection, a replay).
struct ProviderCounts: Sendable, Hashable {
  let provider: ProviderName
  var byOutcome: [FileOutcome: Int] = [:]

  subscript(outcome: FileOutcome) -> Int { byOutcome[outcome] ?? 0 }

  var total: Int { byOutcome.values.reduce(0, +) }
}
