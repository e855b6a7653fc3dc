/// A partition number within a topic (0-based).
public struct PartitionID: RawRepresentable, Hashable, Sendable, Comparable,
  CustomStringConvertible,
  ExpressibleByIntegerLiteral
{
  public let rawValue: Int32

  public init(rawValue: Int32) { self.rawValue = rawValue }
  public init(_ rawValue: Int32) { self.rawValue = rawValue }
  public init(integerLiteral value: Int32) { self.rawValue = value }

  public var description: String { String(rawValue) }
  public static func < (lhs: PartitionID, rhs: PartitionID) -> Bool { lhs.rawValue < rhs.rawValue }
}
