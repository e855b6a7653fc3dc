/// The name of a Kafka topic.
public struct TopicName: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public let rawValue: String

  public init(rawValue: String) { self.rawValue = rawValue }
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }

  /// Kafka's rule: 1–249 characters from `[A-Za-z0-9._-]`, and neither `.` nor `..`.
  public var isValid: Bool {
    guard !rawValue.isEmpty, rawValue.utf8.count <= 249, rawValue != ".", rawValue != ".." else {
      return false
    }
    return rawValue.unicodeScalars.allSatisfy { scalar in
      switch scalar {
      case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
      default: return false
      }
    }
  }

  public var description: String { rawValue }
  public static func < (lhs: TopicName, rhs: TopicName) -> Bool { lhs.rawValue < rhs.rawValue }
}
