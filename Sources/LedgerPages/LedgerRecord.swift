import Store

/// One ledger row with its key, which the pages link by (`/files/<id>`).
struct LedgerRecord: Sendable, Hashable {
  let id: Int64
  let entry: LedgerEntry
}
