import Messages
import Store

/// `/`: one card per provider for the morning check — whether it is stale, its last run's files
/// (`LastRun`), then all-time rows per outcome, the newest snapshot applied per resource (stale
/// ones flagged), its latest rejections and latest files.
struct OverviewPage {
  static let latestRejections = 5
  static let latestFiles = 10

  let reader: LedgerReader
  let shell: PageShell
  let staleness: Staleness

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
    let recent = try reader.files(of: provider, limit: LastRun.window)
    let latest = Array(recent.prefix(Self.latestFiles))
    html += "<p class=\"meta scan\">\(try scanText(provider, newest: latest.first))</p>\n"
    let now = staleness.now()
    if let newest = latest.first, let started = LedgerInstant.date(newest.entry.startedAt),
      now.timeIntervalSince(started) > staleness.threshold
    {
      html += "<p class=\"stale\" data-stale=\"provider\">\(OutcomeBadge.flag("stale", "stale"))"
      html += " No file for \(LedgerInstant.ageText(now.timeIntervalSince(started))), "
      html += "more than \(staleness.thresholdText).</p>\n"
    }
    if let run = LastRun(newestFirst: recent) { html += lastRunSection(run) }

    html += "<h3>All time</h3>\n<div class=\"alltime\">" + OutcomeCounts.html(counts) + "</div>\n"

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

  private func lastRunSection(_ run: LastRun) -> String {
    var html = "<h3>Last run</h3>\n<div class=\"lastrun\">\n<p class=\"meta\">"
    html += "From \(DisplayTime.text(run.startedAt)) to \(DisplayTime.text(run.lastAt)): "
    html += run.files.count == 1 ? "1 file" : "\(run.files.count) files"
    html += run.truncated ? " (the newest \(LastRun.window) rows; the run began earlier)." : "."
    html += "</p>\n<ul class=\"runcounts\">"
    for outcome in FileOutcome.allCases where run.count(outcome) > 0 || outcome == .loaded {
      html += "<li data-run-outcome=\"\(outcome.rawValue)\">\(OutcomeBadge.html(outcome))"
      html += "<span class=\"n\">\(run.count(outcome))</span></li>"
    }
    if run.loadedWithProblems > 0 {
      html += "<li data-run-outcome=\"set-aside\">"
      html += OutcomeBadge.flag("set-aside", "rows set aside")
      html +=
        "<span class=\"n\">\(run.loadedWithProblems)</span> loaded with invalid rows or orphans</li>"
    }
    html += "</ul>\n" + FileList.html(run.files) + "\n</div>\n"
    return html
  }

  private func snapshotTable(_ snapshots: [ResourceSnapshot]) -> String {
    guard !snapshots.isEmpty else { return "<p class=\"meta\">No snapshot applied yet.</p>\n" }
    // Measured against the provider's own newest snapshot, not the clock: a provider whose
    // exports all stopped is flagged once, above, rather than on every resource.
    let providerNewest = snapshots.compactMap { $0.newest.flatMap(LedgerInstant.date) }.max()
    var html = "<p class=\"meta threshold\">Stale: a snapshot more than \(staleness.thresholdText) "
    html +=
      "older than the provider's newest, or no file for more than \(staleness.thresholdText).</p>\n"
    html += "<div class=\"scroll\"><table class=\"snapshots\">"
    html += "<thead><tr><th>resource</th><th>newest snapshot</th><th class=\"num\">scopes</th>"
    html += "<th>freshness</th></tr></thead><tbody>"
    for snapshot in snapshots {
      html += "<tr data-resource=\"\(snapshot.resource.html)\"><td>\(snapshot.resource.html)</td>"
      html += "<td>\(snapshot.newest.map { "\($0)" } ?? "—")</td>"
      html += "<td class=\"num\">\(snapshot.scopes)</td>"
      if let providerNewest, let newest = snapshot.newest.flatMap(LedgerInstant.date),
        providerNewest.timeIntervalSince(newest) > staleness.threshold
      {
        let behind = LedgerInstant.ageText(providerNewest.timeIntervalSince(newest))
        html += "<td class=\"freshness\" data-stale=\"resource\">"
        html += OutcomeBadge.flag("stale", "stale")
        html += " \(behind) behind the provider's newest snapshot</td></tr>"
      } else {
        html += "<td class=\"freshness\">current</td></tr>"
      }
    }
    return html + "</tbody></table></div>\n"
  }
}
