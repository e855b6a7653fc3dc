/// The consume loop's decisions about quiet: when `--exit-when-idle` may end the worker, and what
/// a member that holds no partition while its group has work does. A value with the clock passed
/// in, so the rules are tested event by event without a broker or a sleep.
///
/// Why not just "no message for S seconds": a member can wait that long for its first partitions
/// (a slow join), or hold none at all because the broker stranded the group (seen with Tansu after
/// two members left at once: the next members joined and were never given a partition). Exiting 0
/// then reports a night as done that nobody applied. So:
/// - a member holding partitions is drained when every one of them is committed up to its end
///   (lag 0) and nothing arrived for `idle`;
/// - a member holding none is drained when the group has no lag on the topic at all; while the
///   group has lag, nobody applies it through this member: it rejoins the group (a new join gets
///   partitions where the stranded one did not), with a growing pause between rejoins, and, under
///   `--exit-when-idle`, gives up with status 1 after `strandedLimit`, naming the lag;
/// - a member that would be drained but for partitions it holds parked (`ParkedPartitions`) is
///   not done: a cron run must not report files nobody applied as done, so it ends with status 1
///   naming them (the committed offsets keep them for the next run).
struct DrainWatch {
  enum Decision: Equatable {
    case keepGoing
    /// Every partition held is at its end (or the group has nothing left) and quiet lasted.
    case exitDrained
    /// Everything else is at its end and quiet lasted, but partitions are parked.
    case exitParked
    /// Holding nothing while the group has `lag` messages to apply: leave and join again.
    case rejoin(lag: Int64)
    /// Still holding nothing with `lag` messages waiting, past the bound.
    case exitStranded(lag: Int64)
  }

  /// What the loop found out when `wantsCheck` asked.
  enum Observation: Equatable {
    /// This member holds partitions; `atEnd`: each one not parked is committed up to its high
    /// watermark.
    case holding(atEnd: Bool)
    /// This member holds no partition; the group's lag over the whole topic.
    case holdingNothing(groupLag: Int64)
  }

  let idle: Duration?
  let strandedLimit: Duration
  /// The first pause before a rejoin; it doubles after each one, up to `maxRejoinPause`.
  let rejoinAfter: Duration
  let maxRejoinPause: Duration
  /// Checks ask the broker: no more often than this.
  let checkInterval: Duration

  private(set) var lastActivity: ContinuousClock.Instant
  private var lastCheck: ContinuousClock.Instant?
  private var strandedSince: ContinuousClock.Instant?
  private var lastRejoin: ContinuousClock.Instant?
  private var rejoinPause: Duration

  init(
    idle: Duration?, now: ContinuousClock.Instant, strandedLimit: Duration = .seconds(120),
    rejoinAfter: Duration = .seconds(20), maxRejoinPause: Duration = .seconds(300),
    checkInterval: Duration = .seconds(2)
  ) {
    self.idle = idle
    self.strandedLimit = strandedLimit
    self.rejoinAfter = rejoinAfter
    self.maxRejoinPause = maxRejoinPause
    self.checkInterval = checkInterval
    self.lastActivity = now
    self.rejoinPause = rejoinAfter
  }

  /// A message arrived, partitions came or went, or a batch finished: quiet starts over.
  mutating func activity(at now: ContinuousClock.Instant) {
    lastActivity = now
  }

  /// True when the loop should find out where its partitions (or the group) stand: nothing is
  /// waiting or being applied, and the quiet has lasted long enough to matter.
  func wantsCheck(now: ContinuousClock.Instant, busy: Bool, holdsPartitions: Bool) -> Bool {
    if busy { return false }
    if let lastCheck, now - lastCheck < checkInterval { return false }
    let quiet = now - lastActivity
    if holdsPartitions {
      guard let idle else { return false }
      return quiet >= idle
    }
    return quiet >= min(idle ?? rejoinAfter, rejoinAfter)
  }

  /// - Parameter parked: this member holds partitions parked at a message it cannot apply yet.
  mutating func observe(
    _ observation: Observation, parked: Bool = false, now: ContinuousClock.Instant
  ) -> Decision {
    lastCheck = now
    let quietLongEnough = idle.map { now - lastActivity >= $0 } ?? false
    switch observation {
    case .holding(let atEnd):
      settled()
      guard atEnd && quietLongEnough else { return .keepGoing }
      return parked ? .exitParked : .exitDrained
    case .holdingNothing(let lag) where lag <= 0:
      settled()
      return quietLongEnough ? .exitDrained : .keepGoing
    case .holdingNothing(let lag):
      let since = strandedSince ?? lastActivity
      strandedSince = since
      if idle != nil, now - since >= strandedLimit { return .exitStranded(lag: lag) }
      if now - (lastRejoin ?? since) >= rejoinPause {
        lastRejoin = now
        rejoinPause = min(rejoinPause * 2, maxRejoinPause)
        return .rejoin(lag: lag)
      }
      return .keepGoing
    }
  }

  /// Partitions arrived or the group has nothing left: a later stranding counts from scratch.
  private mutating func settled() {
    strandedSince = nil
    lastRejoin = nil
    rejoinPause = rejoinAfter
  }
}
