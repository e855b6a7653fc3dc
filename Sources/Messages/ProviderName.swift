/// The name of one extractor root: it routes work (the Kafka key) and orders a provider's files.
public struct ProviderName: RawRepresentable, Hashable, Sendable, Codable, Comparable,
  CustomStringConvertible, ExpressibleByStringLiteral
{
  public let rawValue: String

  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }

  public init(from decoder: any Decoder) throws {
    rawValue = try decoder.singleValueContainer().decode(String.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  public var description: String { rawValue }

  /// A provider name becomes a Kafka key, a ledger value and a directory under a worker's
  /// `--sources`: it must name exactly one directory there, never a path.
  public var namesOneDirectory: Bool {
    !rawValue.isEmpty && rawValue != "." && rawValue != ".." && !rawValue.contains("/")
      && !rawValue.utf8.contains(0)
  }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
