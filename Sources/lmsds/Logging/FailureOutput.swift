import Foundation
import Logging

/// Where `main` writes the message of a command that failed.
///
/// Why: the last line a failing command writes is the one operators look for, and under
/// `--log-format json` a plain `lmsds: …` line is the one line a log shipper cannot parse. Once a
/// command has its JSON logger, that line goes through it (level critical); before that (a usage
/// error) and in text format it stays the plain line.
enum FailureOutput {
  private static let jsonLogger = LockedLogger()

  static func useJSON(_ logger: Logger) { jsonLogger.set(logger) }

  static func write(_ message: String) {
    if let logger = jsonLogger.get() {
      logger.critical("\(message)")
    } else {
      FileHandle.standardError.write(Data("lmsds: \(message)\n".utf8))
    }
  }
}

private final class LockedLogger: @unchecked Sendable {
  // `@unchecked Sendable`: `logger` is only touched under `lock`.
  private let lock = NSLock()
  private var logger: Logger?

  func set(_ logger: Logger) {
    lock.lock()
    self.logger = logger
    lock.unlock()
  }

  func get() -> Logger? {
    lock.lock()
    defer { lock.unlock() }
    return logger
  }
}
