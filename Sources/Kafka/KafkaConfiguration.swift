import CRdKafka
import Foundation

/// librdkafka configuration: string keys and values passed through to `rd_kafka_conf_set`
/// (see librdkafka's CONFIGURATION.md), with helpers for the common ones.
///
/// Values of sensitive keys (names containing `password`, `secret`, `sasl`, `token` or `key.pem`)
/// never appear in `description`, nor in any `KafkaError` this module creates.
public struct KafkaConfiguration: Sendable, Equatable, CustomStringConvertible {
  public private(set) var options: [String: String] = [:]

  public init(bootstrapServers: String? = nil, clientID: String? = nil) {
    if let bootstrapServers { self.bootstrapServers = bootstrapServers }
    if let clientID { self.clientID = clientID }
  }

  /// Builds a configuration from `key=value` strings (e.g. repeated `--kafka-option` arguments).
  public init(bootstrapServers: String?, options keyValues: [String]) throws {
    self.init(bootstrapServers: bootstrapServers)
    for option in keyValues { try apply(option) }
  }

  /// `bootstrap.servers`: comma-separated `host:port` list.
  public var bootstrapServers: String? {
    get { options["bootstrap.servers"] }
    set { options["bootstrap.servers"] = newValue }
  }

  /// `client.id`, shown in broker logs and metrics.
  public var clientID: String? {
    get { options["client.id"] }
    set { options["client.id"] = newValue }
  }

  public subscript(key: String) -> String? {
    get { options[key] }
    set { options[key] = newValue }
  }

  /// Sets a librdkafka property (no validation until a client is created).
  public mutating func set(_ key: String, _ value: String) {
    options[key] = value
  }

  /// Applies one `key=value` pass-through option (the value may itself contain `=`).
  public mutating func apply(_ keyValue: String) throws {
    guard let equals = keyValue.firstIndex(of: "=") else {
      throw KafkaError.invalidArgument(
        "Kafka option must look like key=value, got \(redactedOption(keyValue))")
    }
    let key = keyValue[..<equals].trimmingCharacters(in: .whitespaces)
    let value = String(keyValue[keyValue.index(after: equals)...])
    guard !key.isEmpty else {
      throw KafkaError.invalidArgument("Kafka option has an empty key")
    }
    options[key] = value
  }

  /// Returns a copy with `defaults` added for keys not already set.
  public func withDefaults(_ defaults: [String: String]) -> KafkaConfiguration {
    var copy = self
    for (key, value) in defaults where copy.options[key] == nil { copy.options[key] = value }
    return copy
  }

  /// Returns a copy with `overrides` replacing any existing values.
  func overriding(_ overrides: [String: String]) -> KafkaConfiguration {
    var copy = self
    for (key, value) in overrides { copy.options[key] = value }
    return copy
  }

  /// True when the value of `key` must never be shown.
  public static func isSensitive(key: String) -> Bool {
    let lower = key.lowercased()
    return ["password", "secret", "sasl", "token", "key.pem"].contains { lower.contains($0) }
  }

  /// `key=value` lines sorted by key, sensitive values replaced by `[redacted]`.
  public var description: String {
    let pairs = options.keys.sorted().map { key in
      "\(key)=\(Self.isSensitive(key: key) ? "[redacted]" : options[key]!)"
    }
    return "KafkaConfiguration(\(pairs.joined(separator: ", ")))"
  }

  /// Removes the values of sensitive keys from a text (e.g. a librdkafka error string).
  func redact(_ text: String) -> String {
    var result = text
    for (key, value) in options where Self.isSensitive(key: key) && !value.isEmpty {
      result = result.replacingOccurrences(of: value, with: "[redacted]")
    }
    return result
  }

  /// Throws what creating a client would say of an option librdkafka does not take.
  public func validate() throws {
    rd_kafka_conf_destroy(try makeNative())
  }

  /// Creates an `rd_kafka_conf_t` holding every option. The caller owns the result.
  func makeNative() throws -> OpaquePointer {
    guard let conf = rd_kafka_conf_new() else {
      throw KafkaError.invalidArgument("rd_kafka_conf_new failed")
    }
    var errstr = [CChar](repeating: 0, count: 512)
    for key in options.keys.sorted() {
      let value = options[key]!
      let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
      if result != RD_KAFKA_CONF_OK {
        rd_kafka_conf_destroy(conf)
        let text = String(errorBuffer: errstr)
        throw KafkaError.invalidArgument(
          redact("invalid Kafka option \(key): \(text)"))
      }
    }
    return conf
  }

  private func redactedOption(_ keyValue: String) -> String {
    Self.isSensitive(key: keyValue) ? "[redacted]" : "\"\(keyValue)\""
  }
}
