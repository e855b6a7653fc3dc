import Kafka

/// The consumer settings a worker uses unless `--kafka-option` says otherwise.
///
/// Why these: the worker's poll loop never waits on the database (a separate thread applies), so
/// it can afford the tight timings that make a group form and heal fast. With librdkafka's own
/// defaults (45 s session, 3 s heartbeat, 300 s max poll interval) two workers started together
/// on the test broker waited 23 s for their partitions; with these, about 3 s (measured with
/// Tansu 0.6 and librdkafka 2.16, 2 and 4 members, eager and cooperative).
/// - `session.timeout.ms=6000`: the smallest a stock Kafka broker accepts
///   (`group.min.session.timeout.ms`); a member killed with SIGKILL loses its partitions in 6 s.
/// - `heartbeat.interval.ms=500`: well under a third of the session, so one lost heartbeat is
///   harmless and rebalances are noticed within half a second.
/// - `max.poll.interval.ms=30000`: also the time the broker gives members to rejoin during a
///   rebalance; the loop polls every 100 ms, so only a stuck loop ever gets near it.
/// - `partition.assignment.strategy=cooperative-sticky`: a member joining or leaving moves only
///   the partitions that must move, the others keep being applied (works against Tansu).
public enum FleetConsumerDefaults {
  public static let options: [String: String] = [
    "session.timeout.ms": "6000",
    "heartbeat.interval.ms": "500",
    "max.poll.interval.ms": "30000",
    "partition.assignment.strategy": "cooperative-sticky",
  ]

  /// `configuration` with the defaults for keys it does not set. A session timeout given above
  /// the default max poll interval raises that too: librdkafka refuses a smaller one.
  public static func apply(to configuration: KafkaConfiguration) -> KafkaConfiguration {
    var effective = configuration.withDefaults(options)
    if configuration["max.poll.interval.ms"] == nil,
      let session = configuration["session.timeout.ms"].flatMap({ Int($0) }),
      session > Int(options["max.poll.interval.ms"]!)!
    {
      effective["max.poll.interval.ms"] = String(session)
    }
    return effective
  }
}
