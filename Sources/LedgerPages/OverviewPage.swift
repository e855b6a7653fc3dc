import Messages
import Store

/// `/`: one card per provider — its last producer scan, rows per outcome, the newest snapshot
/// applied per resource, its latest rejections and latest files.
struct OverviewPage {
  static let latestRejections = 5
  static let latestFiles = 10

  let reader: LedgerReader
  let shell: PageShell

  func render() throws -> LedgerPage {
    let providers = try reader.providerCounts()
    var body = ""
    if providers.isEmpty {
      body += "<p class=\"card\">The ledger is empty: no file has been published or loaded yet.</p>"
    }
    for counts in providers { body += try card(counts) }
    return .html(shell.document(title: "Overview", heading: "Ledger by provider", body: body))
  }

  private func card(_ counts: ProviderCounts) throws -> String {
    let provider = counts.provider
    let link = SiteLinks.provider(provider).html
    var html = "<section class=\"card provider\" data-provider=\"\(provider.rawValue.html)\">\n"
    html += "<h2><a href=\"\(link)\">\(provider.rawValue.html)</a></h2>\n"
    let latest = try reader.files(of: provider, limit: Self.latestFiles)
    html += "<p class=\"meta scan\">\(try scanText(provider, newest: latest.first))</p>\n"
    html += OutcomeCounts.html(counts) + "\n"

    html += "<h3>Newest applied snapshot per resource</h3>\n"
    html += snapshotTable(try reader.newestSnapshots(of: provider))

    let rejections = try reader.files(
      of: provider, outcome: .rejected, limit: Self.latestRejections)
    html += "<h3>Latest rejections</h3>\n<div class=\"rejections\">"
    html += rejections.isEmpty ? "<p class=\"meta\">None.</p>" : FileList.html(rejections)
    html += "</div>\n"

    html += "<h3>Latest files</h3>\n<div class=\"latest\">" + FileList.html(latest) + "</div>\n"
    if counts.total > latest.count {
      html += "<nav class=\"pages\"><a href=\"\(link)\">All \(counts.total) files →</a></nav>\n"
    }
    return html + "</section>\n"
  }

  private func scanText(_ provider: ProviderName, newest: LedgerRecord?) throws -> String {
    var parts: [String] = []
    if let scan = try reader.lastScan(of: provider) {
      let id = scan.scanID.map { " <code>\($0.html)</code>" } ?? ""
      parts.append("Last scan\(id) published at \(DisplayTime.text(scan.publishedAt))")
    } else {
      parts.append("No producer scan recorded (loaded by <code>lmsds load</code>)")
    }
    if let newest {
      parts.append("last ledger entry \(DisplayTime.text(newest.entry.startedAt))")
    }
    return parts.joined(separator: "; ") + "."
  }

  private func snapshotTable(_ snapshots: [ResourceSnapshot]) -> String {
    guard !snapshots.isEmpty else { return "<p class=\"meta\">No snapshot applied yet.</p>\n" }
    var html = "<div class=\"scroll\"><table class=\"snapshots\">"
    html += "<thead><tr><th>resource</th><th>newest snapshot</th><th class=\"num\">scopes</th>"
    html += "</tr></thead><tbody>"
    for snapshot in snapshots {
      html += "<tr data-resource=\"\(snapshot.resource.html)\"><td>\(snapshot.resource.html)</td>"
      html += "<td>\(snapshot.newest.map { "\($0)" } ?? "—")</td>"
      html += "<td class=\"num\">\(snapshot.scopes)</td></tr>"
    }
    return html + "</tbody></table></div>\n"
  }
}
