import ExtractorTree
import Foundation
import Logging
import Messages
import Store
import Testing

@testable import Worker

/// A message whose size or digest does not match the file on disk is recorded `rejected` under
/// the identity it claimed, with a reason saying so, and never makes that identity known: the
/// genuine message for the file still loads (issue 10, item 6).
@Suite struct MismatchedMessageTests {
  static let zeros = SHA256Digest.repeating("0")

  /// The genuine description of `users/<t0>` and its path, in a fresh tree.
  func genuineUsersFile(_ tree: TreeBuilder) throws -> FileToApply {
    let path = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2", "u3"]))
    let (sha, size) = try FileHasher.sha256(path: path)
    return FileToApply(
      provider: "P1", absolutePath: path, relativePath: "users/\(Stamp.t0)",
      location: ResourceLocation(relativePath: "users/\(Stamp.t0)")!, sha256: sha, size: size)
  }

  // MARK: - Against a real database

  /// A forged size, refused before reading (as a worker's verification refuses it), in one
  /// transaction and the genuine message in the next: the ledger's history query must leave the
  /// mismatched row out.
  @Test(arguments: TestDatabase.available)
  func aForgedSizeDoesNotShadowTheGenuineFile(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let genuine = try genuineUsersFile(tree)
    var forged = genuine
    forged.size += 1
    let reason =
      "users/\(Stamp.t0): its size is \(genuine.size) bytes, the message says \(forged.size)"
    let transaction = database.applyTransaction()

    let refused = try transaction.run([.refuse(forged, reason: reason, mismatched: true)])
    #expect(refused.map(\.outcome) == [.rejected])
    #expect(try database.count("LMSUser") == 0)
    let ledger = Ledger(connection: database.connection)
    // The producer's view (a scan skips known files) and a redelivery's shortcut.
    #expect(try ledger.knownFiles(provider: "P1")[genuine.relativePath] == nil)
    #expect(try ledger.mismatchRecorded(#require(forged.identity), size: forged.size))
    #expect(try !ledger.mismatchRecorded(#require(genuine.identity), size: genuine.size))

    #expect(try transaction.run([.apply(genuine)]).map(\.outcome) == [.loaded])
    #expect(try database.count("LMSUser") == 3)
    let rows = try ledger.entries(provider: "P1")
    #expect(rows.map(\.outcome) == [.rejected, .loaded])
    #expect(rows.map(\.sha256) == [genuine.sha256, genuine.sha256], "the identity it claimed")
    #expect(rows.map(\.size) == [forged.size, genuine.size])
    #expect(rows.map(\.mismatched) == [true, false])
    #expect(rows.first?.message == reason)
    // Now the identity is known: a second genuine arrival is a duplicate.
    #expect(try transaction.run([.apply(genuine)]).map(\.outcome) == [.duplicate])
  }

  /// Both in one transaction, forged first: the history kept during the transaction leaves the
  /// mismatched row out as the ledger query does.
  @Test(arguments: TestDatabase.available)
  func aForgedMessageEarlierInTheSameTransactionDoesNotShadow(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let genuine = try genuineUsersFile(tree)
    var forged = genuine
    forged.size += 7
    let results = try database.applyTransaction().run([
      .refuse(forged, reason: "forged size", mismatched: true), .apply(genuine),
    ])
    #expect(results.map(\.outcome) == [.rejected, .loaded])
    #expect(try database.count("LMSUser") == 3)
  }

  /// A forged digest that does reach staging (its size is right) is refused naming both digests,
  /// and the genuine message loads after it.
  @Test(arguments: TestDatabase.available)
  func aForgedDigestIsRefusedNamingBothAndTheGenuineLoads(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let genuine = try genuineUsersFile(tree)
    var forged = genuine
    forged.sha256 = Self.zeros
    let transaction = database.applyTransaction()
    let refused = try transaction.run([.apply(forged)])
    #expect(refused.map(\.outcome) == [.rejected])
    #expect(refused.first?.entry.mismatched == true)
    #expect(refused.first?.message?.contains(try #require(genuine.sha256).hex) == true)
    #expect(refused.first?.message?.contains(Self.zeros.hex) == true)
    #expect(try database.count("LMSUser") == 0)
    #expect(try transaction.run([.apply(genuine)]).map(\.outcome) == [.loaded])
    #expect(try database.count("LMSUser") == 3)
  }

  /// A rejection for what the bytes hold (here a repeated header) is about the file itself: the
  /// same identity offered again stays a duplicate, as before.
  @Test(arguments: TestDatabase.available)
  func aRejectionForTheContentStillMakesTheIdentityKnown(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let path = try tree.write(
      "P1", "users/\(Stamp.t0)", "SourceSystemIdentifier,SourceSystemIdentifier\n1,2\n")
    let (sha, size) = try FileHasher.sha256(path: path)
    let file = FileToApply(
      provider: "P1", absolutePath: path, relativePath: "users/\(Stamp.t0)",
      location: ResourceLocation(relativePath: "users/\(Stamp.t0)")!, sha256: sha, size: size)
    let transaction = database.applyTransaction()
    let first = try transaction.run([.apply(file)])
    #expect(first.map(\.outcome) == [.rejected])
    #expect(first.first?.entry.mismatched == false)
    #expect(try transaction.run([.apply(file)]).map(\.outcome) == [.duplicate])
  }

  /// The published row of a file whose only other row is a mismatched message's is still waiting
  /// for a worker: `--republish-unapplied` and the unapplied watch still see it, and
  /// `--retry-rejected` has nothing to retry.
  @Test(arguments: TestDatabase.available.filter { $0.setBased })
  func aMismatchedRowIsNoOutcomeOfThePublishedFile(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let ledger = Ledger(connection: database.connection)
    let time = NameTimestamp("2021-01-01-00-00-00")!
    func row(_ outcome: FileOutcome, size: Int64, mismatched: Bool) -> LedgerEntry {
      LedgerEntry(
        provider: "P1", resource: .users, relativePath: "users/\(Stamp.t0)",
        sha256: .repeating("a"),
        size: size, nameTimestamp: time, scopeKey: "", outcome: outcome,
        startedAt: "2020-01-01 00:00:00", mismatched: mismatched)
    }
    try ledger.record(row(.published, size: 10, mismatched: false))
    try ledger.record(row(.rejected, size: 11, mismatched: true))
    let cutoff = Date()
    #expect(try ledger.unappliedPublishedCount(olderThan: cutoff).files == 1)
    // Nor is it a rejection of the file for `produce --retry-rejected` to offer again.
    #expect(try ledger.rejectedAwaitingRetry(provider: "P1").isEmpty)
    let waiting = try ledger.unappliedPublished(olderThan: cutoff)
    #expect(waiting.map(\.outcome) == [.published])
    #expect(waiting.map(\.size) == [10])
    try ledger.record(row(.loaded, size: 10, mismatched: false))
    #expect(try ledger.unappliedPublishedCount(olderThan: cutoff).files == 0)
    #expect(try ledger.unappliedPublished(olderThan: cutoff).isEmpty)
  }

  // MARK: - The rule itself

  @Test func aMismatchedRowNeverMakesItsIdentityKnown() throws {
    let decider = OutcomeDecider(retryRejected: false)
    let file = FileToApply(
      provider: "P1", absolutePath: "/x/users/\(Stamp.t0)", relativePath: "users/\(Stamp.t0)",
      location: ResourceLocation(relativePath: "users/\(Stamp.t0)")!, sha256: .repeating("a"),
      size: 10)
    var entry = LedgerEntry(
      provider: "P1", resource: .users, relativePath: file.relativePath, sha256: .repeating("a"),
      size: 11,
      nameTimestamp: file.location.nameTimestamp, scopeKey: "", outcome: .rejected,
      startedAt: "2021-01-01 00:00:00", mismatched: true)
    var history = LedgerHistory()
    history.record(entry)
    #expect(decider.decide(file, history: history) == .apply)
    #expect(history.outcomes[try #require(file.identity)] == nil)
    entry.mismatched = false
    history.record(entry)
    #expect(decider.decide(file, history: history) == .duplicate)
  }
}
