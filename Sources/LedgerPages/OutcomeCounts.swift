import Messages
import Store

/// A provider's row counts per outcome, each linking to its files filtered by that outcome.
enum OutcomeCounts {
  static func html(_ counts: ProviderCounts, current: FileOutcome? = nil, showsAll: Bool = false)
    -> String
  {
    var html = "<ul class=\"counts\">"
    if showsAll {
      let marker = current == nil ? " class=\"current\"" : ""
      html += "<li><a\(marker) href=\"\(SiteLinks.provider(counts.provider).html)\">"
      html += "<span class=\"n\">\(counts.total)</span>all</a></li>"
    }
    for outcome in FileOutcome.allCases {
      let marker = current == outcome ? " class=\"current\"" : ""
      let link = SiteLinks.provider(counts.provider, outcome: outcome).html
      html += "<li data-outcome=\"\(outcome.rawValue)\"><a\(marker) href=\"\(link)\">"
      html += "<span class=\"n\">\(counts[outcome])</span>\(outcome.rawValue)</a></li>"
    }
    return html + "</ul>"
  }
}
