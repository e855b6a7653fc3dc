/// What a replay will publish, and what it read and left alone.
public struct ReplayPlan: Hashable, Sendable {
  /// In the order to publish them.
  public var files: [ReplayFile] = []
  /// Messages of other providers that share the partition: read past, never touched.
  public var otherProviders = 0
  /// The provider's messages published before `--from` (read because the broker's offset lookup
  /// cannot be trusted to have skipped them).
  public var beforeStart = 0
  /// The provider's messages that are not file messages this version reads, with their offsets.
  public var unreadable: [String] = []
  /// Further copies of an identity already planned (an earlier replay, a republish).
  public var duplicates = 0
  /// True when the ledger was consulted because the topic may no longer hold every file.
  public var consultedLedger = false

  public init() {}

  public var fromTopic: Int {
    files.filter { if case .topic = $0.source { true } else { false } }.count
  }
  public var fromLedger: Int { files.count - fromTopic }
}
