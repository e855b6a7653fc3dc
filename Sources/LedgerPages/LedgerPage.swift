/// One rendered response: what the HTTP layer sends as is.
public struct LedgerPage: Sendable, Hashable {
  public var status: Int
  public var contentType: String
  public var body: String

  public init(status: Int, contentType: String = LedgerPage.htmlContentType, body: String) {
    self.status = status
    self.contentType = contentType
    self.body = body
  }

  public static let htmlContentType = "text/html; charset=utf-8"

  static func html(_ body: String) -> LedgerPage { LedgerPage(status: 200, body: body) }
}
