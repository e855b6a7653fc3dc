import Kafka
import Logging

/// Sends librdkafka's own log lines through the command's logger, so that stderr holds one
/// stream in one format (`--log-format json` included) and `--log-level` filters them too.
enum KafkaLogRoute {
  static func send(to logger: Logger) {
    KafkaLog.route { line in
      logger.log(
        level: level(ofSyslog: line.level), "\(line.message)",
        metadata: ["kafka_facility": "\(line.facility)", "kafka_client": "\(line.client)"])
    }
  }

  /// librdkafka logs with syslog severities.
  static func level(ofSyslog severity: Int) -> Logger.Level {
    switch severity {
    case ...2: .critical
    case 3: .error
    case 4: .warning
    case 5: .notice
    case 6: .info
    default: .debug
    }
  }
}
