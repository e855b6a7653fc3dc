import Logging

@testable import Worker

extension TestDatabase {
  /// A transaction driver on this database that applies the way the default configuration does
  /// for its kind (set-based or file by file), with its log silenced; a worker's when
  /// `owesDeadLetters` (its rejections are owed a dead letter).
  func applyTransaction(owesDeadLetters: Bool = false) -> ApplyTransaction {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    var options = ApplyOptions()
    options.setBased = kind.setBased
    options.owesDeadLetters = owesDeadLetters
    return ApplyTransaction(connection: connection, options: options, logger: logger)
  }
}
