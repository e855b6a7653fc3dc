/// Which librdkafka properties belong to consumers only.
///
/// Why: the worker hands one configuration (`--kafka-option`, its consumer defaults) to its group
/// consumer and to the producer-type handles it also opens (dead letters, metadata). librdkafka
/// accepts a consumer property on a producer but prints a `CONFWARN` line for each such handle,
/// which tells operators that a setting they need was wrong. Producer-type handles drop these.
extension KafkaConfiguration {
  /// librdkafka's properties marked `C` (consumer only) in its CONFIGURATION.md, global and topic.
  public static let consumerOnlyKeys: Set<String> = [
    "group.id", "group.instance.id", "partition.assignment.strategy", "session.timeout.ms",
    "heartbeat.interval.ms", "group.protocol.type", "group.protocol", "group.remote.assignor",
    "coordinator.query.interval.ms", "max.poll.interval.ms", "enable.auto.commit",
    "auto.commit.interval.ms", "enable.auto.offset.store", "queued.min.messages",
    "queued.max.messages.kbytes", "fetch.wait.max.ms", "fetch.queue.backoff.ms",
    "fetch.message.max.bytes", "max.partition.fetch.bytes", "fetch.max.bytes", "fetch.min.bytes",
    "fetch.error.backoff.ms", "offset.store.method", "isolation.level", "enable.partition.eof",
    "check.crcs", "auto.commit.enable", "auto.offset.reset", "offset.store.path",
    "offset.store.sync.interval.ms", "consume.callback.max.messages",
  ]

  /// This configuration without the consumer-only properties (for producer-type handles).
  public func withoutConsumerOnlyOptions() -> KafkaConfiguration {
    var copy = self
    for key in Self.consumerOnlyKeys { copy[key] = nil }
    return copy
  }
}
