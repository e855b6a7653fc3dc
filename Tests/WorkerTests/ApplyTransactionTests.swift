import ExtractorTree
import Foundation
import Logging
import Messages
import Store
import Testing

@testable import Worker

/// The one transaction driver: a conflict never turns a valid file into a rejected one, and the
/// pure pieces it is made of (outcome decisions, wave planning) hold their rules.
@Suite struct ApplyTransactionTests {
  /// A lock conflict rolls the transaction back after it made its staging tables; the retry must
  /// make them again rather than believe they exist (the rejected-valid-file defect of the review).
  @Test(arguments: TestDatabase.available.filter { $0.backend == .postgresql })
  func aLockConflictIsRetriedAndTheFileLoads(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1", users: 4, sections: 1)
    _ = try load(database, provider: "P1", in: tree)

    // Another session holds u1's row for a second; this one waits at most 200 ms for a lock.
    let holder = try database.openAnotherConnection()
    try holder.begin()
    try holder.execute("UPDATE lms.LMSUser SET Name = Name WHERE SourceSystemIdentifier = 'u1'")
    try database.connection.execute("SET lock_timeout = '200ms'")
    // Used by that thread only from here on.
    nonisolated(unsafe) let held = holder
    let release = Thread {
      Thread.sleep(forTimeInterval: 1.0)
      _ = try? held.commit()
    }
    release.start()

    try tree.write(
      "P1", "users/\(Stamp.t1)",
      CSVFile.lines(
        CSVFile.usersHeader,
        [
          CSVFile.userRow("u1", name: "Renamed"), CSVFile.userRow("u2"), CSVFile.userRow("u3"),
          CSVFile.userRow("u4"),
        ]))
    try tree.write("P1", "sections/\(Stamp.t1)", CSVFile.sections(["s1", "s2"]))
    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.rejected.isEmpty)
    let entries = try ledger(database).filter { $0.relativePath.hasSuffix(Stamp.t1) }
    #expect(entries.map(\.outcome) == [.loaded, .loaded])
    #expect(try database.value("LMSUser", "Name", key: "u1") == "Renamed")
    #expect(try database.liveKeys("LMSSection") == ["s1", "s2"])
  }

  /// The bytes staged are held to the identity the ledger records: content that changed after it
  /// was hashed is refused naming both digests, and the genuine identity still loads.
  @Test(arguments: TestDatabase.available)
  func contentThatChangedAfterHashingIsRefused(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let path = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    let (sha, size) = try FileHasher.sha256(path: path)
    var claimed = FileToApply(
      provider: "P1", absolutePath: path, relativePath: "users/\(Stamp.t0)",
      location: ResourceLocation(relativePath: "users/\(Stamp.t0)")!,
      sha256: .repeating("0"), size: size)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    var options = ApplyOptions()
    options.setBased = kind.setBased
    let transaction = ApplyTransaction(
      connection: database.connection, options: options, logger: logger)
    let refused = try transaction.run([.apply(claimed)])
    #expect(refused.map(\.outcome) == [.rejected])
    #expect(refused.first?.message?.contains(sha.hex) == true)
    #expect(refused.first?.message?.contains(SHA256Digest.repeating("0").hex) == true)
    #expect(try database.count("LMSUser") == 0)
    claimed.sha256 = sha
    #expect(try transaction.run([.apply(claimed)]).map(\.outcome) == [.loaded])
    #expect(try database.count("LMSUser") == 2)
  }

  /// A worker can read a re-offer (`produce --retry-rejected`) before the producer records its
  /// `published` row: the message's publication after the rejection re-offers it by itself. A
  /// redelivery of the message that was rejected stays a duplicate.
  @Test(arguments: TestDatabase.available)
  func aReOfferReadBeforeItsPublishedRowIsApplied(_ kind: TestDatabase.Kind) throws {
    let (database, tree, thirty) = try thirtyUsersLoaded(kind)
    // 16 of 30 users gone: the mass-delete guard refuses the file.
    let path = try tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(Array(thirty.prefix(14))))
    let (sha, size) = try FileHasher.sha256(path: path)
    var offered = FileToApply(
      provider: "P1", absolutePath: path, relativePath: "users/\(Stamp.t1)",
      location: ResourceLocation(relativePath: "users/\(Stamp.t1)")!, sha256: sha, size: size,
      publishedAt: CanonicalTime.now())
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    var options = ApplyOptions()
    options.setBased = kind.setBased
    func run(_ options: ApplyOptions) throws -> [FileOutcome] {
      try ApplyTransaction(connection: database.connection, options: options, logger: logger)
        .run([.apply(offered)]).map(\.outcome)
    }
    #expect(try run(options) == [.rejected])

    // The operator lifts the guard (a worker started with --allow-mass-delete).
    options.allowMassDelete = true
    #expect(try run(options) == [.duplicate], "the rejected message, delivered again")
    #expect(try database.liveKeys("LMSUser").count == 30)
    offered.publishedAt = CanonicalTime.now()
    #expect(try run(options) == [.loaded], "re-offered, no published row yet")
    #expect(try database.liveKeys("LMSUser").count == 14)
    let outcomes = try ledger(database).filter { $0.relativePath == "users/\(Stamp.t1)" }
      .map(\.outcome)
    #expect(outcomes == [.rejected, .duplicate, .loaded])
  }

  // MARK: - Outcome decisions

  func file(
    _ path: String, provider: String = "P1", sha: SHA256Digest = .repeating("a"),
    force: Bool = false
  )
    -> FileToApply
  {
    FileToApply(
      provider: ProviderName(provider), absolutePath: "/x/\(path)", relativePath: path,
      location: ResourceLocation(relativePath: path)!, sha256: sha, size: 1, force: force)
  }

  @Test func outcomesFollowTheLedgerHistory() throws {
    let decider = OutcomeDecider(retryRejected: false)
    let users = file("users/\(Stamp.t1)")
    let identity = try #require(users.identity)
    var history = LedgerHistory()
    #expect(decider.decide(users, history: history) == .apply)
    history = LedgerHistory(outcomes: [identity: [.published]])
    #expect(decider.decide(users, history: history) == .apply)
    history = LedgerHistory(outcomes: [identity: [.rejected]])
    #expect(decider.decide(users, history: history) == .duplicate)
    #expect(OutcomeDecider(retryRejected: true).decide(users, history: history) == .apply)
    history = LedgerHistory(outcomes: [identity: [.rejected, .published]])
    #expect(decider.decide(users, history: history) == .apply, "re-offered by the producer")
    history = LedgerHistory(outcomes: [identity: [.loaded]])
    #expect(decider.decide(users, history: history) == .duplicate)
    #expect(decider.decide(file("users/\(Stamp.t1)", force: true), history: history) == .apply)
  }

  @Test func aMessagePublishedAfterTheRejectionReOffersIt() throws {
    let decider = OutcomeDecider(retryRejected: false)
    var users = file("users/\(Stamp.t1)")
    let identity = try #require(users.identity)
    let history = LedgerHistory(
      outcomes: [identity: [.published, .rejected]],
      rejectedAt: [identity: "2026-01-02 03:04:05.000000"])
    #expect(decider.decide(users, history: history) == .duplicate, "a scan's file")
    users.publishedAt = "2026-01-02 03:04:04.999000"
    #expect(decider.decide(users, history: history) == .duplicate, "published before")
    users.publishedAt = "2026-01-02 03:04:05.001000"
    #expect(decider.decide(users, history: history) == .apply, "published after")
    // Loaded since: published after a rejection or not, a duplicate.
    var recorded = history
    recorded.record(
      LedgerEntry(
        provider: "P1", resource: .users, relativePath: users.relativePath, sha256: identity.sha256,
        size: 1, modifiedTime: nil, nameTimestamp: users.location.nameTimestamp, scopeKey: "",
        outcome: .loaded, startedAt: "2026-01-02 03:05:00.000000"))
    #expect(decider.decide(users, history: recorded) == .duplicate)
    // A rejection the transaction records moves the time a re-offer must follow.
    recorded = history
    recorded.record(
      LedgerEntry(
        provider: "P1", resource: .users, relativePath: users.relativePath, sha256: identity.sha256,
        size: 1, modifiedTime: nil, nameTimestamp: users.location.nameTimestamp, scopeKey: "",
        outcome: .rejected, startedAt: "2026-01-02 03:05:00.000000",
        finishedAt: "2026-01-02 03:05:01.000000"))
    #expect(decider.decide(users, history: recorded) == .duplicate)
    users.publishedAt = "2026-01-02 03:05:02.000000"
    #expect(decider.decide(users, history: recorded) == .apply)
  }

  @Test func anOlderFileThanItsScopesNewestIsSuperseded() {
    let decider = OutcomeDecider(retryRejected: false)
    var history = LedgerHistory()
    history.record(
      LedgerEntry(
        provider: "P1", resource: .users, relativePath: "users/\(Stamp.t2)",
        sha256: .repeating("b"),
        size: 1, nameTimestamp: NameTimestamp("2021-01-03-00-00-00")!, scopeKey: "",
        outcome: .loaded, startedAt: "2021-01-03 00:00:00"))
    let late = file("users/\(Stamp.t1)")
    #expect(
      decider.decide(late, history: history)
        == .superseded(newest: NameTimestamp("2021-01-03-00-00-00")!))
    #expect(decider.decide(file("users/\(Stamp.t3)"), history: history) == .apply)
    #expect(decider.decide(file("users/\(Stamp.t1)", provider: "P2"), history: history) == .apply)
    #expect(decider.decide(file("sections/\(Stamp.t1)"), history: history) == .apply)
    #expect(decider.decide(file("users/\(Stamp.t1)", force: true), history: history) == .apply)
  }

  // MARK: - Waves

  @Test func aNightIsOneWavePerResource() {
    let batch = [
      file("users/\(Stamp.t0)"), file("sections/\(Stamp.t0)"),
      file("section=s1/section-associations/\(Stamp.t0)"),
      file("section=s2/section-associations/\(Stamp.t0)"),
      file("section=s1/assignments/\(Stamp.t0)"),
      file("section=s1/assignment=a1/submissions/\(Stamp.t0)"),
      file("section=s1/assignment=a2/submissions/\(Stamp.t0)"),
    ]
    #expect(WavePlanner().plan(batch) == [[0], [1], [2, 3], [4], [5, 6]])
  }

  @Test func filesOfOneScopeGoToSuccessiveWavesAndOtherProvidersShare() {
    let batch = [
      file("users/\(Stamp.t0)"), file("users/\(Stamp.t1)"),
      file("users/\(Stamp.t0)", provider: "P2"),
      file("sections/\(Stamp.t0)"), file("users/\(Stamp.t2)", provider: "P2"),
    ]
    #expect(WavePlanner().plan(batch) == [[0, 2], [1, 4], [3]])
  }

  /// Over random batches: every wave is one resource with distinct scopes, every file is placed
  /// once, and two files of a provider that do not commute keep their order.
  @Test func wavesKeepTheOrderOfEveryPairThatDoesNotCommute() {
    var random = SeededRandom(seed: 42)
    let paths = [
      "users/", "sections/", "section=s1/section-associations/",
      "section=s2/section-associations/", "section=s1/assignments/",
      "section=s1/assignment=a1/submissions/", "section=s2/grades/",
    ]
    let stamps = [Stamp.t0, Stamp.t1, Stamp.t2]
    for _ in 0..<200 {
      let batch = (0..<Int.random(in: 1...25, using: &random)).map { _ in
        file(
          paths.randomElement(using: &random)! + stamps.randomElement(using: &random)!,
          provider: ["P1", "P2"].randomElement(using: &random)!)
      }
      let waves = WavePlanner().plan(batch)
      #expect(waves.flatMap { $0 }.sorted() == Array(batch.indices))
      var waveOf: [Int: Int] = [:]
      for (number, wave) in waves.enumerated() {
        #expect(Set(wave.map { batch[$0].location.resource }).count == 1)
        let scopes = wave.map { "\(batch[$0].provider)|\(batch[$0].location.scopeKey)" }
        #expect(Set(scopes).count == scopes.count)
        for index in wave { waveOf[index] = number }
      }
      for later in batch.indices {
        for earlier in 0..<later where batch[earlier].provider == batch[later].provider {
          let a = batch[earlier].location
          let b = batch[later].location
          if a.resource != b.resource || a.scopeKey == b.scopeKey {
            #expect(waveOf[earlier]! < waveOf[later]!)
          }
        }
      }
    }
  }
}

/// A small deterministic generator for tests (SplitMix64).
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
