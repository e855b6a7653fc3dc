import Hummingbird
import LedgerPages

/// Answers every request: the owner's exact-path routes first, then `/livez`, then the ledger
/// pages (when the server has a site), else 404. Only GET and HEAD are served.
struct StatusResponder: HTTPResponder {
  typealias Context = BasicRequestContext

  let routes: [String: @Sendable () async -> StatusResponse]
  let site: LedgerSite?
  let pages = BlockingPageQueue()

  func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
    guard request.method == .get || request.method == .head else {
      var response = Self.response(
        StatusResponse(status: 405, body: "only GET and HEAD are served\n"))
      response.headers[.allow] = "GET, HEAD"
      return response
    }
    let path = request.uri.path
    if let route = routes[path] { return Self.response(await route()) }
    if path == "/livez" { return Self.response(StatusResponse(body: "ok\n")) }
    guard let site else {
      return Self.response(StatusResponse(status: 404, body: "not found\n"))
    }
    var query: [String: String] = [:]
    for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
    let page = await pages.page(of: site, path: path, query: query)
    return Self.response(
      StatusResponse(status: page.status, contentType: page.contentType, body: page.body))
  }

  static func response(_ answer: StatusResponse) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = answer.contentType
    headers[.cacheControl] = "no-store"
    headers[.xContentTypeOptions] = "nosniff"
    // The pages carry no scripts and only inline style; say so, so that anything that slipped
    // through escaping still could not run.
    headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'"
    return Response(
      status: HTTPResponse.Status(code: answer.status), headers: headers,
      body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
  }
}
