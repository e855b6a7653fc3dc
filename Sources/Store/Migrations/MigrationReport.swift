/// What a migration run did.
public struct MigrationReport: Sendable, Hashable {
  /// Scripts this run applied, in order.
  public var applied: [String] = []
  /// Scripts found in the journal already (including those another process applied meanwhile).
  public var alreadyApplied: Int = 0
  /// Scripts the Ed-Fi loader had journaled (no checksum), under the name the journal used.
  public var adopted: [AdoptedScript] = []

  public init() {}
}

/// A script of ours that the journal lists from the Ed-Fi loader, possibly under its 1.0 name.
public struct AdoptedScript: Sendable, Hashable {
  public let script: String
  public let journalName: String

  public init(script: String, journalName: String) {
    self.script = script
    self.journalName = journalName
  }
}
