/// What a route added by the server's owner answers (a readiness check, metrics text).
public struct StatusResponse: Sendable, Hashable {
  public var status: Int
  public var contentType: String
  public var body: String

  public init(status: Int = 200, contentType: String = "text/plain; charset=utf-8", body: String) {
    self.status = status
    self.contentType = contentType
    self.body = body
  }
}
