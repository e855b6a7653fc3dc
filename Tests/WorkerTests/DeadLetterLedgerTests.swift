import ExtractorTree
import Foundation
import Messages
import Store
import Testing

@testable import Worker

/// The ledger as the outbox of a worker's dead letters (issue 10, item 9): which rejections owe
/// one, and the claim that lets exactly one worker send each.
@Suite struct DeadLetterLedgerTests {
  /// A users file with a repeated header (rejected in the merge) and one refused before reading
  /// (as a worker's verification refuses a missing file), both in one transaction.
  func rejectTwo(_ database: TestDatabase, owesDeadLetters: Bool) throws -> [ApplyResult] {
    let tree = try TreeBuilder()
    let path = try tree.write(
      "P1", "users/\(Stamp.t0)", "SourceSystemIdentifier,SourceSystemIdentifier\n1,2\n")
    let (sha, size) = try FileHasher.sha256(path: path)
    let malformed = FileToApply(
      provider: "P1", absolutePath: path, relativePath: "users/\(Stamp.t0)",
      location: ResourceLocation(relativePath: "users/\(Stamp.t0)")!, sha256: sha, size: size)
    let missing = FileToApply(
      provider: "P1", absolutePath: tree.provider("P1") + "/sections/\(Stamp.t0)",
      relativePath: "sections/\(Stamp.t0)",
      location: ResourceLocation(relativePath: "sections/\(Stamp.t0)")!,
      sha256: .repeating("a"), size: 10)
    return try database.applyTransaction(owesDeadLetters: owesDeadLetters).run([
      .apply(malformed),
      .refuse(missing, reason: "sections/\(Stamp.t0): missing", mismatched: false),
    ])
  }

  static let farFuture = Date().addingTimeInterval(86_400)

  @Test(arguments: TestDatabase.available)
  func aWorkersRejectionsAreOwedADeadLetterAndLoadsAreNot(_ kind: TestDatabase.Kind) throws {
    let loaded = try TestDatabase(kind)
    #expect(try rejectTwo(loaded, owesDeadLetters: false).map(\.outcome) == [.rejected, .rejected])
    #expect(
      try Ledger(connection: loaded.connection).owedDeadLetters(
        claimedBefore: Self.farFuture, limit: 10
      ).isEmpty, "lmsds load has no topic to send them to")

    let database = try TestDatabase(kind)
    let results = try rejectTwo(database, owesDeadLetters: true)
    let ledger = Ledger(connection: database.connection, owesDeadLetters: true)
    let owed = try ledger.owedDeadLetters(claimedBefore: Self.farFuture, limit: 10)
    #expect(owed.map(\.entry.relativePath) == ["users/\(Stamp.t0)", "sections/\(Stamp.t0)"])
    #expect(owed.first?.entry.message?.contains("repeats") == true)
    // Not before the claim has aged.
    #expect(
      try ledger.owedDeadLetters(claimedBefore: Date(timeIntervalSinceNow: -60), limit: 10).isEmpty)
    // The recording worker finds each of its rows by the claim it recorded them with.
    let found = try results.compactMap { try ledger.owedDeadLetterRow(of: $0.entry) }
    try #require(found.count == 2)
    #expect(found.map(\.row) == owed.map(\.row))
    try ledger.markDeadLetterAcknowledged(found[0], at: Date())
    #expect(
      try ledger.owedDeadLetters(claimedBefore: Self.farFuture, limit: 10).map(\.row)
        == [found[1].row])
    #expect(try ledger.owedDeadLetterRow(of: results[0].entry) == nil, "acknowledged: not owed")
  }

  /// Two sweeps that saw the same aged row: the first claim wins, the second finds it taken; the
  /// recording worker's claim, once renewed by another, is no longer its own.
  @Test(arguments: TestDatabase.available)
  func oneClaimWinsARow(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let results = try rejectTwo(database, owesDeadLetters: true)
    let ledger = Ledger(connection: database.connection, owesDeadLetters: true)
    let recordedRow = try ledger.owedDeadLetterRow(of: results[0].entry)
    let recorded = try #require(recordedRow)
    let now = Date().addingTimeInterval(3600)
    let cutoff = now.addingTimeInterval(-300)
    let aged = try ledger.owedDeadLetters(claimedBefore: cutoff, limit: 1)
    let row = try #require(aged.first)
    let claimed = try ledger.claimDeadLetter(row, claimedBefore: cutoff, at: now)
    let first = try #require(claimed)
    #expect(try ledger.claimDeadLetter(row, claimedBefore: cutoff, at: now) == nil)
    #expect(try ledger.renewDeadLetterClaim(recorded, at: now) == nil, "the sweep holds it now")
    let renewal = try ledger.renewDeadLetterClaim(first, at: now + 1)
    let renewed = try #require(renewal)
    #expect(try ledger.renewDeadLetterClaim(first, at: now + 2) == nil)
    try ledger.markDeadLetterAcknowledged(renewed, at: now + 3)
    #expect(try ledger.claimDeadLetter(row, claimedBefore: Self.farFuture, at: now + 4) == nil)
  }

  /// A worker's transaction whose users file goes straight into its empty scope (the empty-scope
  /// fill) records its rows through the same ledger as the staged merge: the refusal beside it
  /// owes its dead letter, the filled file none.
  @Test(arguments: EmptyScopeFillTests.kinds)
  func aRejectionBesideAnEmptyScopeFillIsOwedItsDeadLetter(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let path = try tree.write(
      "P1", "users/\(Stamp.t0)",
      CSVFile.lines(CSVFile.usersHeader, (1...3).map { CSVFile.userRow("u\($0)", source: "S1") }))
    let (sha, size) = try FileHasher.sha256(path: path)
    let users = FileToApply(
      provider: "P1", absolutePath: path, relativePath: "users/\(Stamp.t0)",
      location: ResourceLocation(relativePath: "users/\(Stamp.t0)")!, sha256: sha, size: size)
    let missing = FileToApply(
      provider: "P1", absolutePath: tree.provider("P1") + "/sections/\(Stamp.t0)",
      relativePath: "sections/\(Stamp.t0)",
      location: ResourceLocation(relativePath: "sections/\(Stamp.t0)")!,
      sha256: .repeating("a"), size: 10)
    let results = try database.applyTransaction(owesDeadLetters: true).run([
      .apply(users), .refuse(missing, reason: "sections/\(Stamp.t0): missing", mismatched: false),
    ])
    #expect(results.map(\.outcome) == [.loaded, .rejected])
    #expect(results.map(\.filledDirectly) == [true, false])
    let ledger = Ledger(connection: database.connection, owesDeadLetters: true)
    let owed = try ledger.owedDeadLetters(claimedBefore: Self.farFuture, limit: 10)
    #expect(owed.map(\.entry.relativePath) == ["sections/\(Stamp.t0)"])
    #expect(try ledger.owedDeadLetterRow(of: results[1].entry)?.row == owed.first?.row)
  }

  @Test func aRebuiltMessageCarriesTheIdentityTheRowRecorded() throws {
    let entry = LedgerEntry(
      provider: "P1", resource: .users, relativePath: "users/\(Stamp.t0)",
      sha256: .repeating("b"), size: 42,
      nameTimestamp: NameTimestamp("2021-01-01 00:00:00")!, scopeKey: "", outcome: .rejected,
      message: "users/\(Stamp.t0): missing", startedAt: "2024-05-01 02:03:04.5", scanID: "scan-1",
      replay: true)
    let message = try FileMessage.decode(RebuiltFileMessage.of(entry).encode())
    #expect(
      message.identity
        == FileIdentity(provider: "P1", relativePath: entry.relativePath, sha256: entry.sha256))
    #expect(message.size == 42)
    #expect(message.scanId == "scan-1")
    #expect(message.replay)
    #expect(message.publishedAt == "2024-05-01T02:03:04.500Z")
  }
}
