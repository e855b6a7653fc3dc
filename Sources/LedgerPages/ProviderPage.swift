import Messages
import Store

/// `/providers/<name>`: the provider's files, newest first, a page at a time (`before=<id>`
/// continues after the last row shown), optionally of one outcome (`outcome=rejected`).
struct ProviderPage {
  static let pageSize = 50

  let reader: LedgerReader
  let shell: PageShell

  func render(_ provider: ProviderName, query: [String: String]) throws -> LedgerPage {
    var outcome: FileOutcome?
    if let text = query["outcome"], !text.isEmpty {
      guard let known = FileOutcome(rawValue: text) else {
        return MessagePage.badRequest(
          "Unknown outcome “\(text)”: one of "
            + FileOutcome.allCases.map(\.rawValue).joined(separator: ", ") + ".", shell: shell)
      }
      outcome = known
    }
    var before: Int64?
    if let text = query["before"], !text.isEmpty {
      guard let id = Int64(text), id > 0 else {
        return MessagePage.badRequest("“before” must be a ledger row number.", shell: shell)
      }
      before = id
    }
    let counts = try reader.counts(of: provider)
    guard counts.total > 0 else {
      return MessagePage.notFound(
        "The ledger has no files of provider “\(provider.rawValue)”.", shell: shell)
    }
    // One row more than shown tells whether an older page exists.
    let rows = try reader.files(
      of: provider, outcome: outcome, before: before, limit: Self.pageSize + 1)
    let shown = Array(rows.prefix(Self.pageSize))

    var body = "<section class=\"card\">\n"
    body += OutcomeCounts.html(counts, current: outcome, showsAll: true) + "\n"
    let what = outcome.map { "\($0.rawValue) files" } ?? "Files"
    body += "<h3>\(what), newest first\(before == nil ? "" : " (older page)")</h3>\n"
    body += FileList.html(shown) + "\n"
    var navigation: [String] = []
    if before != nil {
      navigation.append(
        "<a href=\"\(SiteLinks.provider(provider, outcome: outcome).html)\">← Newest</a>")
    }
    if rows.count > Self.pageSize, let last = shown.last {
      let older = SiteLinks.provider(provider, outcome: outcome, before: last.id)
      navigation.append("<a rel=\"next\" href=\"\(older.html)\">Older files →</a>")
    }
    if !navigation.isEmpty {
      body += "<nav class=\"pages\">\(navigation.joined(separator: " · "))</nav>\n"
    }
    body += "</section>\n"
    return .html(
      shell.document(
        title: provider.rawValue, heading: "Provider \(provider.rawValue)", body: body))
  }
}
