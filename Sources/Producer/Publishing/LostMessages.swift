import Kafka
import Store

/// Why the topic no longer holds a message the ledger records as published.
public enum MessageLoss: String, Sendable, Hashable, CaseIterable, Comparable {
  /// Its offset is at or past the partition's end: the broker lost the partition's log (an empty
  /// broker started in its place, the topic deleted and created again).
  case pastEnd = "past_end"
  /// Its offset is before the partition's start: retention removed it before any worker read it.
  case beforeStart = "before_start"
  /// The topic has no such partition any more (created again with fewer partitions).
  case noPartition = "no_partition"

  public var explanation: String {
    switch self {
    case .pastEnd: return "offset past the partition's end (broker or topic lost)"
    case .beforeStart: return "offset before the partition's start (removed by retention)"
    case .noPartition: return "partition no longer exists (topic recreated with fewer)"
    }
  }

  public static func < (lhs: MessageLoss, rhs: MessageLoss) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// A published file whose message the topic no longer holds.
public struct LostMessage: Sendable, Hashable {
  public let entry: LedgerEntry
  public let receipt: PublishReceipt
  public let loss: MessageLoss
}

/// Which `published` ledger rows point at messages the topic no longer holds, decided from the
/// rows and the topic's watermarks alone.
///
/// The watermarks cannot tell a recreated topic that has since grown past a recorded offset
/// from the original; the producer asks before publishing anything, so its own run never hides
/// a loss, and the stale-unapplied warning covers the rest.
public struct LostMessageFinder: Sendable {
  public let topic: TopicName
  public let watermarks: [PartitionID: PartitionWatermarks]

  public init(topic: TopicName, watermarks: [PartitionID: PartitionWatermarks]) {
    self.topic = topic
    self.watermarks = watermarks
  }

  /// Nil while the message may still be there, and for another topic's messages: workers of
  /// this topic never read those, and the operator may still drain that topic.
  public func loss(of receipt: PublishReceipt) -> MessageLoss? {
    guard receipt.topic == topic, receipt.offset.isConcrete else { return nil }
    guard let marks = watermarks[receipt.partition] else { return .noPartition }
    if receipt.offset >= marks.high { return .pastEnd }
    if receipt.offset < marks.low { return .beforeStart }
    return nil
  }

  /// The rows whose message is lost, in the given order. Rows whose note names no place (written
  /// before notes did) are never judged lost.
  public func lost(_ entries: [LedgerEntry]) -> [LostMessage] {
    entries.compactMap { entry in
      guard entry.outcome == .published, let note = entry.message,
        let receipt = PublishReceipt(ledgerNote: note), let loss = loss(of: receipt)
      else { return nil }
      return LostMessage(entry: entry, receipt: receipt, loss: loss)
    }
  }
}

/// The topic a produce run publishes to, and a way to read its watermarks.
public struct TopicProbe: Sendable {
  public let topic: TopicName
  public let watermarks: @Sendable () throws -> [PartitionID: PartitionWatermarks]

  public init(
    topic: TopicName,
    watermarks: @escaping @Sendable () throws -> [PartitionID: PartitionWatermarks]
  ) {
    self.topic = topic
    self.watermarks = watermarks
  }
}

extension PublishReceipt {
  /// Reads back the place `PublishedEntry` writes into a `published` row's message:
  /// `published to <topic>[<partition>]@<offset>`, optionally followed by ` (replay)`.
  public init?(ledgerNote note: String) {
    let prefix = "published to "
    guard note.hasPrefix(prefix) else { return nil }
    let place = note.dropFirst(prefix.count).prefix { $0 != " " }
    guard let open = place.lastIndex(of: "["), let close = place.lastIndex(of: "]"),
      open < close, place[place.index(after: close)...].first == "@",
      let partition = Int32(place[place.index(after: open)..<close]),
      let offset = Int64(place[place.index(close, offsetBy: 2)...])
    else { return nil }
    let topic = TopicName(String(place[..<open]))
    guard topic.isValid else { return nil }
    self.init(topic: topic, partition: PartitionID(partition), offset: Offset(offset))
  }
}
