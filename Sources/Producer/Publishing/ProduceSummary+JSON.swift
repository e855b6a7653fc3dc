import Foundation

extension ProduceSummary {
  /// The summary as one JSON object, numbers as numbers, for `--summary-format json`.
  public func renderJSON() -> String {
    var perProvider: [String: Any] = [:]
    for (name, counts) in providers {
      perProvider[name.rawValue] = [
        "published": counts.published, "retried": counts.retried,
        "republished": counts.republished, "republished_lost": counts.republishedLost,
        "already_in_ledger": counts.alreadyInLedger,
      ]
    }
    let object: [String: Any] = [
      "providers": perProvider, "published": totalPublished, "left_to_settle": unsettled.count,
      "unrecognized": unrecognized, "unreadable": unreadable,
      "unapplied_gone_from_disk": unappliedNotOnDisk, "topics_created": topicsCreated,
      "lost_in_topic": Dictionary(
        uniqueKeysWithValues: lostFromTopic.map { ($0.key.rawValue, $0.value) }),
      "stale_unapplied": staleUnapplied, "warnings": warnings, "nothing_to_publish": rootProblems,
      "failure": failure ?? NSNull(),
      "exit_status": Int(exitCode),
    ]
    let data =
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
