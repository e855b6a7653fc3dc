/// What an operator does about a rejected file, told apart by the reason the ledger recorded.
/// The reasons are the worker's own sentences, so they are recognised by their fixed wording.
enum RejectionHint: String, CaseIterable, Sendable {
  /// The file itself is wrong: a header, a value, a SourceSystem, no valid rows.
  case fixFile = "fix-file"
  /// The file on disk was not what was scanned: it was still being written or was replaced.
  case changedOnDisk = "changed-on-disk"
  /// The database refused a statement: the cause may be outside the file.
  case databaseRefused = "database-refused"
  /// A users or sections file would soft-delete most of its scope.
  case massDelete = "mass-delete"

  init(message: String?) {
    let message = message ?? ""
    if message.contains("refused as a mass delete") {
      self = .massDelete
    } else if message.contains("changed after it was hashed")
      || message.contains("changed after it was scanned") || message.contains("the message says")
    {
      self = .changedOnDisk
    } else if message.contains("the database refused it") {
      self = .databaseRefused
    } else {
      self = .fixFile
    }
  }

  /// The advice as HTML (fixed text, with the options as code).
  var html: String {
    switch self {
    case .fixFile:
      return
        "Fix the data at its source and re-export: the new file loads on the next run. "
        + "Offer this same file again with <code>--retry-rejected</code> only if the cause was "
        + "not in the file."
    case .changedOnDisk:
      return
        "The next scan takes the file's new content as a new file. If the file is now complete "
        + "and unchanged, offer it again with <code>--retry-rejected</code>."
    case .databaseRefused:
      return
        "Read the database's message above. Once its cause is fixed, offer the file again with "
        + "<code>--retry-rejected</code>; if the data is at fault, fix and re-export instead."
    case .massDelete:
      return
        "If this is a genuine mass change (a new term, a roster moved), load it with "
        + "<code>--allow-mass-delete --retry-rejected</code>. Otherwise the export is incomplete: "
        + "fix it and re-export."
    }
  }

  static func paragraph(for message: String?) -> String {
    let hint = RejectionHint(message: message)
    return
      "<p class=\"hint\" data-hint=\"\(hint.rawValue)\"><strong>What to do:</strong> \(hint.html)</p>"
  }
}
