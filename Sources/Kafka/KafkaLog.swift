import CRdKafka

/// Where librdkafka's own log lines go.
///
/// Why: by default librdkafka writes lines such as `%3|…|FAIL|…` straight to stderr, beside (and
/// unlike) the program's own log lines — under `--log-format json` that breaks every reader that
/// parses the stream, just when the broker is in trouble and the lines matter. A process that
/// routes them gets every line through its own logger instead. Clients created before the route is
/// set keep librdkafka's default.
public enum KafkaLog {
  /// One librdkafka log line.
  public struct Line: Sendable, Equatable {
    /// syslog severity: 0 emergency … 3 error, 4 warning, 5 notice, 6 info, 7 debug.
    public let level: Int
    /// librdkafka's facility, e.g. `FAIL`, `CONFWARN`, `REQTMOUT`.
    public let facility: String
    /// The client instance's name, e.g. `lmsds-work#consumer-1`.
    public let client: String
    public let message: String
  }

  public typealias Handler = @Sendable (Line) -> Void

  private static let handler = Locked<Handler?>(nil)

  /// Sends the log lines of every client created from now on to `handler` (called on
  /// librdkafka's threads); `nil` restores librdkafka's default for later clients.
  public static func route(to handler: Handler?) {
    self.handler.withLock { $0 = handler }
  }

  /// Installs the callback on a configuration about to create a client, when a route is set.
  static func install(on conf: OpaquePointer) {
    guard handler.withLock({ $0 }) != nil else { return }
    rd_kafka_conf_set_log_cb(conf, kafkaLogCallback)
  }

  fileprivate static func deliver(_ line: Line) {
    handler.withLock { $0 }?(line)
  }
}

private let kafkaLogCallback:
  @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle, level, facility, text in
    let client = handle.flatMap { rd_kafka_name($0) }.map { String(cString: $0) } ?? ""
    KafkaLog.deliver(
      KafkaLog.Line(
        level: Int(level), facility: facility.map { String(cString: $0) } ?? "",
        client: client, message: text.map { String(cString: $0) } ?? ""))
  }
