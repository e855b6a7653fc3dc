import Messages
import Store

/// Ledger rows as a list of one-line entries that wrap on a phone: outcome, path (linking to the
/// row's page), the file's name-timestamp and rows read; for rejected and superseded files the
/// message follows, cut short (the row's page has it whole), and for rejected files what to do.
enum FileList {
  static let messagePreviewLength = 400

  static func html(_ records: [LedgerRecord]) -> String {
    guard !records.isEmpty else { return "<p class=\"meta\">No files.</p>" }
    var html = "<ul class=\"files\">\n"
    for record in records {
      let entry = record.entry
      html += "<li class=\"file\" data-outcome=\"\(entry.outcome.rawValue)\">"
      html += OutcomeBadge.html(entry.outcome)
      html +=
        "<a class=\"path\" href=\"\(SiteLinks.file(record.id))\">\(entry.relativePath.html)</a>"
      html += OutcomeBadge.flags(entry)
      html +=
        "<span class=\"meta\">\(entry.nameTimestamp) · \(rowsText(entry.counts.rowsRead))</span>"
      if let message = entry.message, !message.isEmpty,
        entry.outcome == .rejected || entry.outcome == .superseded
      {
        html += "<pre class=\"message \(entry.outcome.rawValue)\">\(preview(message).html)</pre>"
      }
      if entry.outcome == .rejected { html += RejectionHint.paragraph(for: entry.message) }
      html += "</li>\n"
    }
    return html + "</ul>"
  }

  static func rowsText(_ count: Int) -> String { count == 1 ? "1 row" : "\(count) rows" }

  static func preview(_ message: String) -> String {
    guard message.count > messagePreviewLength else { return message }
    return String(message.prefix(messagePreviewLength)) + "…"
  }
}
