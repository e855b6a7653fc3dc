import Store

/// The configuration a run uses, with where each part came from.
public struct ResolvedSettings: Sendable, Hashable {
  public var database: DatabaseLocation
  public var databaseSource: SettingSource
  public var csvPath: String?
  public var csvPathSource: SettingSource?
  public var logLevel: LogLevel
  public var logLevelSource: SettingSource

  public init(
    database: DatabaseLocation, databaseSource: SettingSource, csvPath: String? = nil,
    csvPathSource: SettingSource? = nil, logLevel: LogLevel = .info,
    logLevelSource: SettingSource = .defaultValue
  ) {
    self.database = database
    self.databaseSource = databaseSource
    self.csvPath = csvPath
    self.csvPathSource = csvPathSource
    self.logLevel = logLevel
    self.logLevelSource = logLevelSource
  }
}

extension ResolvedSettings: CustomStringConvertible {
  /// One log line; the database is shown redacted.
  public var description: String {
    var text = "database \(database.redactedDescription) (\(databaseSource))"
    if let csvPath, let csvPathSource { text += "; csv path \(csvPath) (\(csvPathSource))" }
    text += "; log level \(logLevel.rawValue) (\(logLevelSource))"
    return text
  }
}
