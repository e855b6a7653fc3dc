import Foundation
import Store

/// The ledger's JSON lines, with the keys of load-semantics §9.
enum LedgerJSON {
  static func line(for entry: LedgerEntry) -> String {
    let c = entry.counts
    var object: [String: Any] = [
      "provider": entry.provider.rawValue, "resource": entry.resource.rawValue,
      "path": entry.relativePath, "sha256": entry.sha256.hex, "size": entry.size,
      "name_timestamp": entry.nameTimestamp.sqlText, "outcome": entry.outcome.rawValue,
      "rows_read": c.rowsRead, "inserted": c.inserted, "updated": c.updated,
      "restored": c.restored, "unchanged": c.unchanged, "soft_deleted": c.softDeleted,
      "orphans": c.orphans, "invalid": c.invalid, "rounded": c.rounded,
      "started_at": entry.startedAt,
    ]
    object["message"] = entry.message ?? NSNull()
    object["finished_at"] = entry.finishedAt ?? NSNull()
    object["applied_by"] = entry.appliedBy ?? NSNull()
    let data =
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
