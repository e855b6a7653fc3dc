import Testing

@testable import Worker

/// `DrainWatch` event by event, with instants made up by the test: no broker, no sleep.
@Suite struct DrainWatchTests: MadeUpInstants {
  let start = ContinuousClock.now

  @Test func aMemberWaitingForItsFirstPartitionsIsNotIdleWhileTheGroupHasLag() {
    // The reported failure: a slow join, then "no message for 8 s; exiting" with status 0.
    var watch = DrainWatch(idle: .seconds(8), now: at(0))
    #expect(!watch.wantsCheck(now: at(7.9), busy: false, holdsPartitions: false))
    #expect(watch.wantsCheck(now: at(8), busy: false, holdsPartitions: false))
    #expect(watch.observe(.holdingNothing(groupLag: 40), now: at(8)) == .keepGoing)
  }

  @Test func holdingPartitionsAtTheirEndAfterTheQuietIsDrained() {
    var watch = DrainWatch(idle: .seconds(5), now: at(0))
    watch.activity(at: at(1))  // assigned
    watch.activity(at: at(2))  // the last message
    #expect(!watch.wantsCheck(now: at(6.9), busy: false, holdsPartitions: true))
    #expect(!watch.wantsCheck(now: at(8), busy: true, holdsPartitions: true))
    #expect(watch.wantsCheck(now: at(7), busy: false, holdsPartitions: true))
    #expect(watch.observe(.holding(atEnd: true), now: at(7)) == .exitDrained)
  }

  @Test func aWorkerDrainedButForAParkedPartitionExitsAsParkedNotDrained() {
    var watch = DrainWatch(idle: .seconds(5), now: at(0))
    watch.activity(at: at(1))  // the park
    #expect(watch.wantsCheck(now: at(6), busy: false, holdsPartitions: true))
    #expect(watch.observe(.holding(atEnd: true), parked: true, now: at(6)) == .exitParked)
    // Quiet not long enough, or other partitions not at their end: keep going either way.
    var early = DrainWatch(idle: .seconds(5), now: at(0))
    #expect(early.observe(.holding(atEnd: true), parked: true, now: at(4)) == .keepGoing)
    #expect(early.observe(.holding(atEnd: false), parked: true, now: at(9)) == .keepGoing)
  }

  @Test func partitionsNotAtTheirEndKeepTheWorkerGoingAndAreAskedAgainLater() {
    var watch = DrainWatch(idle: .seconds(5), now: at(0), checkInterval: .seconds(2))
    #expect(watch.observe(.holding(atEnd: false), now: at(5)) == .keepGoing)
    #expect(!watch.wantsCheck(now: at(6.5), busy: false, holdsPartitions: true))
    #expect(watch.wantsCheck(now: at(7), busy: false, holdsPartitions: true))
    #expect(watch.observe(.holding(atEnd: true), now: at(7)) == .exitDrained)
  }

  @Test func withoutExitWhenIdleAMemberHoldingPartitionsNeverAsks() {
    let watch = DrainWatch(idle: nil, now: at(0))
    #expect(!watch.wantsCheck(now: at(3600), busy: false, holdsPartitions: true))
  }

  @Test func aSpareMemberLeavesWhenTheGroupHasNothingLeft() {
    // Five workers, four partitions: the fifth holds nothing; once the group is done, so is it.
    var watch = DrainWatch(idle: .seconds(5), now: at(0))
    #expect(watch.observe(.holdingNothing(groupLag: 0), now: at(5)) == .exitDrained)
  }

  @Test func aStrandedMemberRejoinsWithAGrowingPauseThenExitsWithStatusOne() {
    var watch = DrainWatch(
      idle: .seconds(5), now: at(0), strandedLimit: .seconds(60), rejoinAfter: .seconds(10),
      checkInterval: .seconds(1))
    #expect(watch.wantsCheck(now: at(5), busy: false, holdsPartitions: false))
    #expect(watch.observe(.holdingNothing(groupLag: 12), now: at(5)) == .keepGoing)
    #expect(watch.observe(.holdingNothing(groupLag: 12), now: at(10)) == .rejoin(lag: 12))
    // The rejoin's (empty) rebalance counts as activity, not as progress.
    watch.activity(at: at(11))
    #expect(watch.observe(.holdingNothing(groupLag: 12), now: at(25)) == .keepGoing)
    #expect(watch.observe(.holdingNothing(groupLag: 12), now: at(30)) == .rejoin(lag: 12))
    #expect(watch.observe(.holdingNothing(groupLag: 12), now: at(59)) == .keepGoing)
    #expect(watch.observe(.holdingNothing(groupLag: 12), now: at(60)) == .exitStranded(lag: 12))
  }

  @Test func partitionsArrivingEndTheStrandedCount() {
    var watch = DrainWatch(
      idle: .seconds(5), now: at(0), strandedLimit: .seconds(30), rejoinAfter: .seconds(10),
      checkInterval: .seconds(1))
    #expect(watch.observe(.holdingNothing(groupLag: 3), now: at(10)) == .rejoin(lag: 3))
    watch.activity(at: at(13))  // assigned after the rejoin
    #expect(watch.observe(.holding(atEnd: false), now: at(20)) == .keepGoing)
    // Revoked later (another member took them over), the group still busy: counting starts anew.
    watch.activity(at: at(40))
    #expect(watch.observe(.holdingNothing(groupLag: 3), now: at(45)) == .keepGoing)
    #expect(watch.observe(.holdingNothing(groupLag: 3), now: at(50)) == .rejoin(lag: 3))
  }

  @Test func withoutExitWhenIdleAStrandedMemberRejoinsButNeverExits() {
    var watch = DrainWatch(
      idle: nil, now: at(0), strandedLimit: .seconds(30), rejoinAfter: .seconds(10),
      maxRejoinPause: .seconds(20), checkInterval: .seconds(1))
    #expect(watch.wantsCheck(now: at(10), busy: false, holdsPartitions: false))
    #expect(watch.observe(.holdingNothing(groupLag: 3), now: at(10)) == .rejoin(lag: 3))
    #expect(watch.observe(.holdingNothing(groupLag: 3), now: at(30)) == .rejoin(lag: 3))
    #expect(watch.observe(.holdingNothing(groupLag: 3), now: at(50)) == .rejoin(lag: 3))
    #expect(watch.observe(.holdingNothing(groupLag: 0), now: at(500)) == .keepGoing)
  }
}
