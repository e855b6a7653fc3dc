import Messages
import Store

/// The pages' addresses, built in one place so that links and routing agree. Path segments are
/// percent-encoded: a provider name may hold `/`, `?`, `#` or spaces.
enum SiteLinks {
  static let overview = "/"

  static func provider(_ provider: ProviderName, outcome: FileOutcome? = nil, before: Int64? = nil)
    -> String
  {
    var query: [String] = []
    if let outcome { query.append("outcome=\(outcome.rawValue)") }
    if let before { query.append("before=\(before)") }
    let path = "/providers/\(encodeSegment(provider.rawValue))"
    return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
  }

  static func file(_ id: Int64) -> String { "/files/\(id)" }

  /// Every byte but the unreserved ones (RFC 3986) as `%XX`.
  static func encodeSegment(_ text: String) -> String {
    var encoded = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"):
        encoded.unicodeScalars.append(UnicodeScalar(byte))
      default:
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        encoded.unicodeScalars.append("%")
        encoded.unicodeScalars.append(hex[Int(byte >> 4)])
        encoded.unicodeScalars.append(hex[Int(byte & 0x0F)])
      }
    }
    return encoded
  }

  /// `%XX` escapes undone; nil when one is malformed or the bytes are not UTF-8.
  static func decodeSegment(_ text: Substring) -> String? {
    URLPercentDecoding.decode(text)
  }
}
