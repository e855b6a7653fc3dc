import Messages
import Store

/// `/files/<id>`: one ledger row whole — where the file is, what it was, what became of it, every
/// count, the full message — and the other arrivals at the same path.
struct FilePage {
  static let arrivalsShown = 20

  let reader: LedgerReader
  let shell: PageShell

  func render(id: Int64) throws -> LedgerPage {
    guard let record = try reader.record(id: id) else {
      return MessagePage.notFound("The ledger has no row \(id).", shell: shell)
    }
    let entry = record.entry
    var body = "<section class=\"card file\" data-outcome=\"\(entry.outcome.rawValue)\">\n"
    body += "<p>\(OutcomeBadge.html(entry.outcome))\(OutcomeBadge.flags(entry))</p>\n"
    if let message = entry.message, !message.isEmpty {
      body += "<pre class=\"message \(entry.outcome.rawValue)\">\(message.html)</pre>\n"
    }
    if entry.outcome == .rejected { body += RejectionHint.paragraph(for: entry.message) + "\n" }
    body += "<h3>File</h3>\n<dl class=\"fields\">\n"
    let providerLink = SiteLinks.provider(entry.provider).html
    body += field(
      "provider", html: "<a href=\"\(providerLink)\">\(entry.provider.rawValue.html)</a>")
    body += field("resource", entry.resource.rawValue)
    body += field("path", html: "<span class=\"path\">\(entry.relativePath.html)</span>")
    body += field("scope", entry.scopeKey.isEmpty ? "the provider" : entry.scopeKey)
    body += field("snapshot time", "\(entry.nameTimestamp)")
    body += field("size", "\(entry.size) bytes")
    body += field("SHA-256", html: "<span class=\"path\">\(entry.sha256.hex.html)</span>")
    body += field("modified", DisplayTime.text(entry.modifiedTime))
    body += "</dl>\n<h3>Arrival</h3>\n<dl class=\"fields\">\n"
    body += field("ledger row", "\(record.id)")
    body += field("started", DisplayTime.text(entry.startedAt))
    body += field("finished", DisplayTime.text(entry.finishedAt))
    body += field("applied by", entry.appliedBy ?? "—")
    body += field("scan", entry.scanID ?? "—")
    body += field("replay", entry.replay ? "yes" : "no")
    body += "</dl>\n<h3>Rows</h3>\n" + countsTable(entry.counts)
    body += "</section>\n"

    let arrivals = try reader.arrivals(
      of: entry.provider, path: entry.relativePath, limit: Self.arrivalsShown)
    if arrivals.count > 1 {
      body += "<section class=\"card arrivals\">\n<h3>Every arrival at this path</h3>\n"
      body += FileList.html(arrivals) + "\n</section>\n"
    }
    return .html(
      shell.document(
        title: entry.relativePath, heading: "\(entry.provider.rawValue) / \(entry.relativePath)",
        body: body))
  }

  private func field(_ name: String, _ value: String) -> String { field(name, html: value.html) }

  private func field(_ name: String, html value: String) -> String {
    "<dt>\(name)</dt><dd data-field=\"\(name)\">\(value)</dd>\n"
  }

  private func countsTable(_ counts: RowCounts) -> String {
    let columns: [(String, Int)] = [
      ("rows read", counts.rowsRead), ("inserted", counts.inserted), ("updated", counts.updated),
      ("restored", counts.restored), ("unchanged", counts.unchanged),
      ("soft-deleted", counts.softDeleted), ("orphans", counts.orphans),
      ("invalid", counts.invalid), ("rounded", counts.rounded),
    ]
    // One row per count: a tall narrow table reads on a phone without scrolling sideways.
    var html = "<table class=\"rowcounts\"><tbody>"
    for (name, value) in columns {
      html += "<tr data-count=\"\(name)\"><th>\(name)</th><td class=\"num\">\(value)</td></tr>"
    }
    return html + "</tbody></table>\n"
  }
}
