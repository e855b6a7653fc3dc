import ArgumentParser
import Logging
import Settings

struct LoggingOptions: ParsableArguments {
  @Option(
    name: [.customShort("l"), .customLong("log-level")],
    help:
      "trace, debug, info, notice, warning, error or critical; Ed-Fi's names work too (also LOG_LEVEL)."
  )
  var level: String?

  @Option(name: .customLong("log-format"), help: "text or json.")
  var format: LogFormat = .text

  func makeLogger(level: Settings.LogLevel) -> Logger {
    let format = self.format
    let swiftLevel = Logger.Level(rawValue: level.rawValue) ?? .info
    return Logger(label: "lmsds") { label in
      LineLogHandler(label: label, format: format, logLevel: swiftLevel)
    }
  }
}
