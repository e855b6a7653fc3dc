import Foundation

/// Reads back what a page shows, from its HTML as the server sent it or as Chromium serialised
/// its DOM (both keep our attribute order and escape text the same way).
enum HTMLProbe {
  struct FileItem: Hashable {
    let outcome: String
    let id: Int64
    /// As shown, HTML-escaped.
    let path: String
  }

  /// The entries of every file list on the page, in page order.
  static func fileItems(_ html: String) -> [FileItem] {
    let pattern =
      #/<li class="file" data-outcome="(\w+)"><span[^>]*>(\w+)</span><a class="path" href="/files/(\d+)">([^<]*)</a>/#
    return html.matches(of: pattern).compactMap { match in
      // The badge must say what the item's outcome is.
      guard match.output.1 == match.output.2, let id = Int64(match.output.3) else { return nil }
      return FileItem(outcome: String(match.output.1), id: id, path: String(match.output.4))
    }
  }

  /// The part of the overview about one provider.
  static func providerSection(_ html: String, provider: String) -> String? {
    for match in html.matches(of: #/<section class="card provider" data-provider="([^"]*)">/#)
    where unescape(String(match.output.1)) == provider {
      guard let end = html.range(of: "</section>", range: match.range.upperBound..<html.endIndex)
      else { return nil }
      return String(html[match.range.lowerBound..<end.upperBound])
    }
    return nil
  }

  /// The number shown for an outcome in a counts list.
  static func count(_ html: String, _ outcome: String) -> Int? {
    let pattern = try! Regex(
      #"<li data-outcome=""# + outcome + #""><a[^>]*><span class="n">(\d+)</span>"#)
    guard let match = html.firstMatch(of: pattern), let text = match.output[1].substring else {
      return nil
    }
    return Int(text)
  }

  /// The text between `<tag …attribute="value"…>` and the next `<`.
  static func text(_ html: String, after marker: String) -> String? {
    guard let start = html.range(of: marker),
      let close = html.range(of: ">", range: start.upperBound..<html.endIndex)
    else { return nil }
    let rest = html[close.upperBound...]
    return String(rest.prefix { $0 != "<" })
  }

  /// Every link target on the page, `&amp;` undone.
  static func links(_ html: String) -> [String] {
    html.matches(of: #/href="([^"]*)"/#).map {
      String($0.output.1).replacingOccurrences(of: "&amp;", with: "&")
    }
  }

  /// The content of every `<pre class="message …">`.
  static func messages(_ html: String) -> [String] {
    html.matches(of: #/<pre class="message[^"]*">([^<]*)</pre>/#).map { String($0.output.1) }
  }

  /// Character references undone: what a reader sees.
  static func unescape(_ html: String) -> String {
    html.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
