import Kafka
import Logging

/// Asks the broker what `DrainWatch` needs to know: are the partitions this member holds
/// committed up to their end, or, holding none, how much the whole group still has to apply.
///
/// Committed offsets, not fetch positions: the worker commits only what the database holds, so
/// "committed = high watermark" is the durable form of "position = high watermark". A partition
/// whose committed offset lies past its end (the topic was recreated empty) counts as at its end:
/// there is nothing there for a worker to apply (`lmsds produce` republishes what it lost).
struct DrainProbe {
  private let configuration: FleetConfiguration
  private var admin: KafkaAdmin?

  init(configuration: FleetConfiguration) {
    self.configuration = configuration
  }

  /// `nil` when the broker did not answer (the loop asks again later).
  /// - Parameter parked: partitions held but parked; their lag is the parked messages, and
  ///   does not count against `atEnd` (`DrainWatch` decides what a park means).
  mutating func observe(
    holding: Set<TopicPartition>, parked: Set<TopicPartition>, uncommitted: Bool, logger: Logger
  )
    -> DrainWatch.Observation?
  {
    // Applied but not committed yet: not at the end as far as the group knows.
    if !holding.isEmpty, uncommitted { return .holding(atEnd: false) }
    do {
      if admin == nil { admin = try KafkaAdmin(configuration: configuration.kafka) }
      let lag = try admin!.lag(
        group: configuration.groupID, topic: configuration.topic, timeout: .seconds(5))
      if holding.isEmpty { return .holdingNothing(groupLag: lag.values.reduce(0, +)) }
      let atEnd = holding.subtracting(parked).allSatisfy { (lag[$0.partition] ?? 0) <= 0 }
      return .holding(atEnd: atEnd)
    } catch {
      logger.debug(
        "could not read the group's lag; asking again later", metadata: ["error": "\(error)"])
      return nil
    }
  }

  func close() { admin?.close() }
}
