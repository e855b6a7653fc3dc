import ExtractorTree
import Foundation
import Logging
import Messages
import Store
import Testing

@testable import Worker

/// Each file is read once: the bytes staged are hashed as they are parsed and held to the size and
/// SHA-256 the ledger records before commit (issue 9, item 6).
@Suite struct StagedIdentityTests {
  func describe(_ path: String, as relativePath: String) throws -> FileToApply {
    let (sha, size) = try FileHasher.sha256(path: path)
    return FileToApply(
      provider: "P1", absolutePath: path, relativePath: relativePath,
      location: ResourceLocation(relativePath: relativePath)!, sha256: sha, size: size)
  }

  /// A file rewritten after it was described, to content of the same size: a worker asks to look
  /// again, so nothing is recorded and nothing loads; told to record it, the rejection names both
  /// digests and nothing of the new content loads under the old identity.
  @Test(arguments: TestDatabase.available)
  func aFileRewrittenAfterItWasDescribedNeverLoadsUnderTheOldIdentity(_ kind: TestDatabase.Kind)
    throws
  {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let path = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    let described = try describe(path, as: "users/\(Stamp.t0)")
    try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u3", "u4"]))
    let (newSHA, newSize) = try FileHasher.sha256(path: path)
    #expect(newSize == described.size && newSHA != described.sha256, "same size, new bytes")
    let transaction = database.applyTransaction()

    #expect {
      try transaction.run([.apply(described)], control: TransactionControl(recordMismatches: false))
    } throws: { error in
      let reason = (error as? StagedContentChanged)?.reason ?? ""
      return reason.contains(newSHA.hex) && reason.contains(described.sha256?.hex ?? "none")
    }
    #expect(try ledger(database).isEmpty)
    #expect(try database.count("LMSUser") == 0)

    let recorded = try transaction.run([.apply(described)])
    #expect(recorded.map(\.outcome) == [.rejected])
    #expect(recorded.first?.entry.mismatched == true)
    #expect(recorded.first?.message?.contains(newSHA.hex) == true)
    #expect(recorded.first?.message?.contains(try #require(described.sha256).hex) == true)
    #expect(try database.count("LMSUser") == 0)
    // The new content under its own identity loads.
    let current = try describe(path, as: "users/\(Stamp.t0)")
    #expect(try transaction.run([.apply(current)]).map(\.outcome) == [.loaded])
    #expect(try database.liveKeys("LMSUser") == ["u3", "u4"])
  }

  /// A file refused at a bad record near its start is hashed to its end all the same (it is
  /// larger than the reader's buffer): under its genuine identity the refusal is about the file
  /// and makes it known; under a forged digest it is a mismatch naming both digests.
  @Test(arguments: TestDatabase.available)
  func aFileRefusedEarlyIsStillHashedToItsEnd(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    var bytes = Array((CSVFile.usersHeader + "\n").utf8)
    bytes += Array(CSVFile.userRow("u1").utf8) + [0xFF, 0x0A]
    let row = Array((CSVFile.userRow("u2") + "\n").utf8)
    while bytes.count < 3 << 20 { bytes += row }
    let path = try tree.write("P1", "users/\(Stamp.t0)", bytes: bytes)
    let genuine = try describe(path, as: "users/\(Stamp.t0)")
    var forged = genuine
    forged.sha256 = .repeating("0")
    let transaction = database.applyTransaction()

    let mismatch = try transaction.run([.apply(forged)])
    #expect(mismatch.map(\.outcome) == [.rejected])
    #expect(mismatch.first?.entry.mismatched == true)
    #expect(mismatch.first?.message?.contains(try #require(genuine.sha256).hex) == true)
    #expect(mismatch.first?.message?.contains("\(genuine.size) bytes") == true)

    let bad = try transaction.run([.apply(genuine)])
    #expect(bad.map(\.outcome) == [.rejected])
    #expect(bad.first?.entry.mismatched == false)
    #expect(bad.first?.message?.contains("UTF-8") == true)
    #expect(try transaction.run([.apply(genuine)]).map(\.outcome) == [.duplicate])
  }

  /// The verifier reads no bytes: a file of the right size is verified whatever it holds, and its
  /// digest is left to the staging reader; a different size is a mismatch naming both sizes.
  @Test func verificationChecksTheSizeWithoutReading() throws {
    let tree = try TreeBuilder()
    let path = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1"]))
    let described = try describe(path, as: "users/\(Stamp.t0)")
    let message = FileMessage(
      provider: "P1", resource: .users, relativePath: "users/\(Stamp.t0)", size: described.size,
      sha256: .repeating("0"), nameTimestamp: described.location.nameTimestamp,
      scanId: "test", publishedAt: Date())
    let verifier = FileVerifier()
    let root = tree.provider("P1")
    #expect(verifier.verify(message, root: root) == .verified(absolutePath: path))
    var longer = message
    longer.size += 1
    #expect(
      verifier.verify(longer, root: root)
        == .mismatch("its size is \(described.size) bytes, the message says \(longer.size)"))
  }

  /// `lmsds load` records, for a file it loads on first sight, the digest of the bytes it loaded;
  /// the same name rewritten later to other bytes of the same size, with a newer modification
  /// time, is hashed again and loads as a new identity; left alone, it is already in the ledger.
  @Test(arguments: TestDatabase.available)
  func loadRecordsTheDigestOfWhatItLoadedAndSeesTheFileReplaced(_ kind: TestDatabase.Kind)
    throws
  {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let path = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    func touch(secondsAgo: Double) throws {
      try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSinceNow: -secondsAgo)], ofItemAtPath: path)
    }
    try touch(secondsAgo: 100)
    let first = try FileHasher.sha256(path: path)
    #expect(try load(database, provider: "P1", in: tree).count(.loaded) == 1)
    #expect(try ledger(database).map(\.sha256) == [first.digest])
    #expect(try ledger(database).map(\.size) == [first.size])

    try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u3", "u4"]))
    try touch(secondsAgo: 50)
    let second = try FileHasher.sha256(path: path)
    #expect(second.size == first.size && second.digest != first.digest, "same size, new bytes")
    #expect(try load(database, provider: "P1", in: tree).count(.loaded) == 1)
    #expect(try ledger(database).map(\.sha256) == [first.digest, second.digest])
    #expect(try ledger(database).map(\.outcome) == [.loaded, .loaded])
    #expect(try database.liveKeys("LMSUser") == ["u3", "u4"])

    let again = try load(database, provider: "P1", in: tree)
    #expect(again.alreadyInLedger == 1 && again.count(.loaded) == 0)
    #expect(try ledger(database).count == 2)
  }

  // MARK: - Files the scan left unhashed (`lmsds load`, a path the ledger never saw)

  /// As `lmsds load` offers a path the ledger has never seen: with the size the scan saw and no
  /// digest.
  func unhashed(_ path: String, as relativePath: String, size: Int64? = nil) throws -> FileToApply {
    var file = try describe(path, as: relativePath)
    file.sha256 = nil
    if let size { file.size = size }
    return file
  }

  /// The one read that stages the file gives its identity: the ledger records the digest of the
  /// bytes loaded, and the same bytes offered again (hashed, as a later scan does) are known.
  @Test(arguments: TestDatabase.available)
  func anUnhashedFileTakesTheDigestOfTheBytesStaged(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let users = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    let sections = try tree.write("P1", "sections/\(Stamp.t0)", CSVFile.sections(["s1"]))
    let transaction = database.applyTransaction()
    let files = [
      try unhashed(users, as: "users/\(Stamp.t0)"),
      try unhashed(sections, as: "sections/\(Stamp.t0)"),
    ]
    let results = try transaction.run(files.map { .apply($0) })
    #expect(results.map(\.outcome) == [.loaded, .loaded])
    #expect(
      results.map(\.entry.sha256) == [
        try FileHasher.sha256(path: users).digest, try FileHasher.sha256(path: sections).digest,
      ])
    #expect(results.allSatisfy { !$0.entry.mismatched })
    let again = try transaction.run([.apply(try describe(users, as: "users/\(Stamp.t0)"))])
    #expect(again.map(\.outcome) == [.duplicate])
  }

  /// A path loaded since the scan found it new (by another process): the file is hashed before its
  /// outcome is decided, and the same bytes are a duplicate, not loaded twice.
  @Test(arguments: TestDatabase.available)
  func anUnhashedFileAtAPathWithHistoryIsHashedFirst(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let path = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    let transaction = database.applyTransaction()
    #expect(
      try transaction.run([.apply(try describe(path, as: "users/\(Stamp.t0)"))]).map(\.outcome) == [
        .loaded
      ])
    let again = try transaction.run([.apply(try unhashed(path, as: "users/\(Stamp.t0)"))])
    #expect(again.map(\.outcome) == [.duplicate])
    #expect(again.first?.entry.sha256 == (try FileHasher.sha256(path: path).digest))
  }

  /// An older file than its scope's newest is superseded without being staged: it is hashed for
  /// its ledger row all the same.
  @Test(arguments: TestDatabase.available)
  func anUnhashedSupersededFileIsRecordedWithItsDigest(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let newer = try tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(["u1"]))
    let older = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u9"]))
    let transaction = database.applyTransaction()
    _ = try transaction.run([.apply(try unhashed(newer, as: "users/\(Stamp.t1)"))])
    let late = try transaction.run([.apply(try unhashed(older, as: "users/\(Stamp.t0)"))])
    #expect(late.map(\.outcome) == [.superseded])
    #expect(late.first?.entry.sha256 == (try FileHasher.sha256(path: older).digest))
    #expect(late.first?.entry.mismatched == false)
  }

  /// Bytes of another size than the scan saw (the file grew after the scan), or none at all (it
  /// was removed): rejected as mismatched, which makes no identity known, so the next scan takes
  /// the file again; nothing of it loads.
  @Test(arguments: TestDatabase.available)
  func anUnhashedFileThatChangedOrWentIsOfferedAgain(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let path = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    let transaction = database.applyTransaction()
    let grown = try unhashed(path, as: "users/\(Stamp.t0)", size: 10)
    let changed = try transaction.run([.apply(grown)])
    #expect(changed.map(\.outcome) == [.rejected])
    #expect(changed.first?.entry.mismatched == true)
    #expect(changed.first?.message?.contains("changed after it was scanned") == true)
    #expect(try database.count("LMSUser") == 0)

    var gone = try unhashed(path, as: "users/\(Stamp.t0)")
    gone.absolutePath += ".removed"
    let missing = try transaction.run([.apply(gone)])
    #expect(missing.map(\.outcome) == [.rejected])
    #expect(missing.first?.entry.mismatched == true)

    let genuine = try transaction.run([.apply(try unhashed(path, as: "users/\(Stamp.t0)"))])
    #expect(genuine.map(\.outcome) == [.loaded])
    #expect(try database.liveKeys("LMSUser") == ["u1", "u2"])
  }
}
