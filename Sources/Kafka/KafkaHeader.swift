/// A message header: a name and raw bytes. Kafka allows repeated names; order is preserved.
public struct KafkaHeader: Hashable, Sendable, CustomStringConvertible {
  public var name: String
  /// `nil` for a header sent with a null value.
  public var value: [UInt8]?

  public init(name: String, value: [UInt8]?) {
    self.name = name
    self.value = value
  }

  public init(_ name: String, _ value: [UInt8]) {
    self.init(name: name, value: value)
  }

  public init(_ name: String, _ value: String) {
    self.init(name: name, value: Array(value.utf8))
  }

  public var description: String { "\(name)(\(value.map { "\($0.count) bytes" } ?? "null"))" }
}
