import Messages

/// Which page a request path names.
enum SiteRoute: Hashable {
  case overview
  case provider(ProviderName)
  case file(Int64)
  case unknown

  /// `path` as sent, percent-encoded, without the query.
  init(path: String) {
    let segments = path.split(separator: "/", omittingEmptySubsequences: true)
    switch segments.count {
    case 0:
      self = .overview
    case 2 where segments[0] == "providers":
      guard let name = SiteLinks.decodeSegment(segments[1]), !name.isEmpty else {
        self = .unknown
        return
      }
      self = .provider(ProviderName(name))
    case 2 where segments[0] == "files":
      guard let id = Int64(segments[1]), id > 0 else {
        self = .unknown
        return
      }
      self = .file(id)
    default:
      self = .unknown
    }
  }
}
