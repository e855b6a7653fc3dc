import Foundation
import Logging
import Testing

@testable import Worker

struct FleetHealthTests {
  @Test func readinessNamesWhatIsMissing() {
    let health = FleetHealth()
    #expect(
      health.readiness().problems == ["database not migrated yet", "consumer group not joined yet"])
    health.markDatabaseMigrated()
    health.markJoined()
    #expect(health.readiness().isHealthy)
    health.markDatabase(unavailable: "connection refused")
    #expect(health.readiness().problems == ["database unavailable: connection refused"])
    health.markDatabase(unavailable: nil)
    #expect(health.readiness().isHealthy)
    health.markStopping()
    #expect(health.readiness().problems == ["stopping"])
  }

  @Test func losingTheGroupMembershipMakesTheWorkerUnreadyUntilItJoinsAgain() {
    let health = FleetHealth()
    health.markDatabaseMigrated()
    health.markJoined()
    #expect(health.readiness().isHealthy)
    health.markMembershipLost()
    #expect(health.readiness().problems == ["consumer group membership lost; rejoining"])
    health.markJoined()
    #expect(health.readiness().isHealthy)
  }

  @Test func aParkedPartitionIsNotedButLeavesTheWorkerReady() {
    let health = FleetHealth()
    health.markDatabaseMigrated()
    health.markJoined()
    health.setParked(["lms.files[2] parked at offset 5 (no_source_root): no source root"])
    #expect(health.readiness().isHealthy)
    #expect(
      health.readiness().notes == [
        "lms.files[2] parked at offset 5 (no_source_root): no source root"
      ])
    health.setParked([])
    #expect(health.readiness().notes.isEmpty)
  }

  @Test func aLoopSilentForTooLongIsNotAlive() {
    let health = FleetHealth(stallLimit: .seconds(60))
    let start = ContinuousClock.now
    #expect(health.liveness(now: start).isHealthy)
    health.loopTurned(now: start)
    #expect(health.liveness(now: start + .seconds(59)).isHealthy)
    let stalled = health.liveness(now: start + .seconds(61))
    #expect(!stalled.isHealthy)
    #expect(stalled.problems.first?.contains("has not turned") == true)
    health.loopEnded()
    #expect(health.liveness(now: start + .seconds(120)).isHealthy)
  }
}

struct ShutdownWatchdogTests {
  static var quiet: Logger {
    var logger = Logger(label: "watchdog-test")
    logger.logLevel = .critical
    return logger
  }

  @Test func abandonsAfterTheTimeoutThenEndsTheProcessAfterTheGrace() async throws {
    let watchdog = ShutdownWatchdog(grace: .milliseconds(300), logger: Self.quiet)
    let events = LockedValue<[String]>([])
    let started = ContinuousClock.now
    let times = LockedValue<[Duration]>([])
    watchdog.start(
      abandon: {
        events.set(events.value + ["abandon"])
        times.set(times.value + [ContinuousClock.now - started])
      },
      exitProcess: {
        events.set(events.value + ["exit"])
        times.set(times.value + [ContinuousClock.now - started])
      }, after: .milliseconds(200))
    // Polled: on a loaded machine a test task may wake late, the watchdog's own thread does not.
    let deadline = ContinuousClock.now + .seconds(10)
    while events.value.last != "exit", ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    // Abandon is asked again through the grace period (a cancel only stops the statement
    // running at that moment), then the process is ended.
    let seen = events.value
    #expect(seen.first == "abandon")
    #expect(seen.last == "exit")
    #expect(seen.dropLast().allSatisfy { $0 == "abandon" } && seen.count >= 2)
    #expect(times.value[0] >= .milliseconds(200))
    #expect(times.value.last! - times.value[0] >= .milliseconds(300))
  }

  @Test func standsDownWhenTheRunFinishesInTime() async throws {
    let watchdog = ShutdownWatchdog(grace: .milliseconds(100), logger: Self.quiet)
    let events = LockedValue<[String]>([])
    watchdog.start(
      abandon: { events.set(events.value + ["abandon"]) },
      exitProcess: { events.set(events.value + ["exit"]) }, after: .seconds(1))
    // Finished well inside the timeout, however late this task runs afterwards.
    watchdog.markFinished()
    try await Task.sleep(for: .milliseconds(1500))
    #expect(events.value.isEmpty)
  }

  @Test func startsOnce() async throws {
    let watchdog = ShutdownWatchdog(grace: .milliseconds(50), logger: Self.quiet)
    let abandons = LockedValue(0)
    for _ in 0..<3 {
      watchdog.start(
        abandon: { abandons.set(abandons.value + 1) }, exitProcess: {}, after: .milliseconds(50))
    }
    let deadline = ContinuousClock.now + .seconds(10)
    while abandons.value == 0, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    try await Task.sleep(for: .milliseconds(300))
    #expect(abandons.value == 1)
  }
}
