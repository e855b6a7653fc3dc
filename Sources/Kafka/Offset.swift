import CRdKafka

/// A position in a partition. Non-negative values are message offsets; librdkafka's logical
/// offsets are the named constants below.
public struct Offset: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible,
  ExpressibleByIntegerLiteral
{
  public let rawValue: Int64

  public init(rawValue: Int64) { self.rawValue = rawValue }
  public init(_ rawValue: Int64) { self.rawValue = rawValue }
  public init(integerLiteral value: Int64) { self.rawValue = value }

  /// The oldest message still in the partition.
  public static let beginning = Offset(Int64(RD_KAFKA_OFFSET_BEGINNING))
  /// The end of the partition: the offset the next produced message will get.
  public static let end = Offset(Int64(RD_KAFKA_OFFSET_END))
  /// The group's committed offset (falling back to `auto.offset.reset`).
  public static let stored = Offset(Int64(RD_KAFKA_OFFSET_STORED))
  /// No offset (e.g. nothing committed yet).
  public static let invalid = Offset(Int64(RD_KAFKA_OFFSET_INVALID))

  /// True for an actual message position (not a logical offset).
  public var isConcrete: Bool { rawValue >= 0 }

  /// The offset after this one: what to commit once this message is processed.
  public var next: Offset { Offset(rawValue + 1) }

  public var description: String {
    switch self {
    case .beginning: return "beginning"
    case .end: return "end"
    case .stored: return "stored"
    case .invalid: return "invalid"
    default: return String(rawValue)
    }
  }

  public static func < (lhs: Offset, rhs: Offset) -> Bool { lhs.rawValue < rhs.rawValue }
}
