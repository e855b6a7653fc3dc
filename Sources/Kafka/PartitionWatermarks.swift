/// The offsets bounding a partition's log.
public struct PartitionWatermarks: Hashable, Sendable, CustomStringConvertible {
  /// The oldest offset still held.
  public let low: Offset
  /// The end: the offset the next message will get (messages are `low ..< high`).
  public let high: Offset

  public init(low: Offset, high: Offset) {
    self.low = low
    self.high = high
  }

  public var messageCount: Int64 { max(0, high.rawValue - low.rawValue) }

  public var description: String { "[\(low), \(high))" }
}
