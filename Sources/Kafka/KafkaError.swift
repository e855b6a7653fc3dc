import CRdKafka

/// An error reported by librdkafka (or by this wrapper before librdkafka was called).
///
/// `code` is librdkafka's error code name as returned by `rd_kafka_err2name`
/// (e.g. `_MSG_TIMED_OUT`, `UNKNOWN_TOPIC_OR_PART`, `_INVALID_ARG`); local (client-side)
/// codes start with an underscore. `message` is librdkafka's human-readable text, followed by
/// any context this wrapper adds. Neither ever contains the value of a sensitive configuration key.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
  /// librdkafka's error code name, e.g. `_TRANSPORT` or `TOPIC_ALREADY_EXISTS`.
  public let code: String
  /// Human-readable explanation.
  public let message: String
  /// True when librdkafka flagged the error as fatal for the client instance (it must be recreated).
  public let isFatal: Bool
  /// The raw librdkafka error code (`rd_kafka_resp_err_t`), for comparisons inside this module.
  let rawCode: Int32

  init(rawCode: Int32, message: String? = nil, context: String? = nil, isFatal: Bool = false) {
    let err = rd_kafka_resp_err_t(rawValue: rawCode)
    self.rawCode = rawCode
    self.code = String(cString: rd_kafka_err2name(err))
    var text = message ?? String(cString: rd_kafka_err2str(err))
    if let context, !context.isEmpty { text = "\(context): \(text)" }
    self.message = text
    self.isFatal = isFatal
  }

  init(_ err: rd_kafka_resp_err_t, message: String? = nil, context: String? = nil) {
    self.init(rawCode: err.rawValue, message: message, context: context)
  }

  /// Takes ownership of an `rd_kafka_error_t` (destroys it).
  init(consuming error: OpaquePointer, context: String? = nil) {
    let code = rd_kafka_error_code(error)
    let text = rd_kafka_error_string(error).map { String(cString: $0) }
    let fatal = rd_kafka_error_is_fatal(error) != 0
    rd_kafka_error_destroy(error)
    self.init(rawCode: code.rawValue, message: text, context: context, isFatal: fatal)
  }

  /// A configuration or argument error detected by this wrapper.
  static func invalidArgument(_ message: String) -> KafkaError {
    KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: message)
  }

  /// True for a timeout reported by librdkafka (`_TIMED_OUT` or `_MSG_TIMED_OUT`).
  public var isTimeout: Bool {
    rawCode == RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue
      || rawCode == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue
  }

  public var description: String { "Kafka error \(code): \(message)" }
}
