import Foundation

extension LoadSummary {
  /// The summary as one JSON object, numbers as numbers, for `--summary-format json`: what a
  /// scheduler or a monitoring script reads instead of the table.
  public func renderJSON() -> String {
    let files: [String: Any] = [
      "loaded": count(.loaded), "rejected": count(.rejected), "superseded": count(.superseded),
      "duplicate": count(.duplicate) + alreadyInLedger, "left_to_settle": unsettled,
      "unrecognized": unrecognized.count,
    ]
    let rowCounts: [String: Any] = [
      "read": rows.rowsRead, "inserted": rows.inserted, "updated": rows.updated,
      "restored": rows.restored, "unchanged": rows.unchanged, "soft_deleted": rows.softDeleted,
      "orphaned": rows.orphans, "invalid": rows.invalid, "rounded": rows.rounded,
    ]
    var object: [String: Any] = [
      "files": files, "rows": rowCounts, "exit_status": Int(exitCode),
      "rejected": rejected.map { entry -> [String: Any] in
        [
          "provider": entry.provider.rawValue, "path": entry.relativePath,
          "reason": entry.message ?? NSNull(),
        ]
      },
      "unrecognized": unrecognized, "nothing_to_load": rootProblems,
      "database": database ?? NSNull(),
    ]
    if let elapsedSeconds {
      object["elapsed_seconds"] = (elapsedSeconds * 1000).rounded() / 1000
      object["rows_per_second"] =
        elapsedSeconds > 0 ? (Double(rows.rowsRead) / elapsedSeconds).rounded() : 0
    }
    let data =
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
