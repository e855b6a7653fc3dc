import ExtractorTree
import Foundation
import Logging
import Messages
import Store
import Testing
import Worker

/// Order and identity (load-semantics §8): stale files, shared watermarks, retries, duplicates.
@Suite struct OrderAndIdentityTests {
  @Test(arguments: TestDatabase.available)
  func olderFileAfterANewerOneIsSupersededAndRollsNothingBack(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write("P1", "users/\(Stamp.t2)", CSVFile.users(["u1", "u2", "u3"]))
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t2)",
      CSVFile.assignments(section: "s1", [("a2", "x")]))
    _ = try load(database, provider: "P1", in: tree)
    let before = try database.allStates()

    // Yesterday's snapshots arrive late: they would restore u4 and a1, and drop a2.
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(["u1", "u2", "u3", "u4"]))
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t1)",
      CSVFile.assignments(section: "s1", [("a1", "x")]))
    let late = try load(database, provider: "P1", in: tree)
    #expect(late.count(.superseded) == 2 && late.count(.loaded) == 0)
    #expect(late.exitCode == 0)
    #expect(try database.allStates() == before)
    let users = try entry(database, "users/\(Stamp.t1)")
    #expect(users?.outcome == .superseded)
    #expect(users?.message?.contains("2021-01-03") == true, "\(users?.message ?? "")")
    #expect(try entry(database, "section=s1/assignments/\(Stamp.t1)")?.outcome == .superseded)
    // Superseded identities are not offered again.
    let again = try load(database, provider: "P1", in: tree)
    #expect(again.alreadyInLedger == 6 && again.count(.superseded) == 0)
    // Another section's scope has its own watermark.
    try tree.write(
      "P1", "section=s2/assignments/\(Stamp.t1)",
      CSVFile.assignments(section: "s2", [("b1", "x")]))
    #expect(try load(database, provider: "P1", in: tree).count(.loaded) == 1)
  }

  @Test(arguments: TestDatabase.available)
  func sameScopeInAnotherCaseSharesAWatermark(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    try tree.write(
      "P1", "Section=s1/Assignments/\(Stamp.t2)",
      CSVFile.assignments(section: "s1", [("a2", "x")]))
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t3)",
      CSVFile.assignments(section: "s1", [("a2", "x"), ("a3", "x")]))
    try tree.write(
      "P1", "section=s1/ASSIGNMENT=a2/submissions/\(Stamp.t2)",
      CSVFile.submissions(assignment: "a2", [("sub1", "u1", "1", "")]))
    _ = try load(database, provider: "P1", in: tree)
    #expect(try database.liveKeys("Assignment") == ["a2", "a3"])

    try tree.write(
      "P1", "SECTION=s1/assignments/\(Stamp.t1)",
      CSVFile.assignments(section: "s1", [("a1", "x")]))
    try tree.write(
      "P1", "section=s1/Assignment=a2/Submissions/\(Stamp.t1)",
      CSVFile.submissions(assignment: "a2", [("sub0", "u1", "1", "")]))
    let late = try load(database, provider: "P1", in: tree)
    #expect(late.count(.superseded) == 2 && late.count(.loaded) == 0)
    #expect(try database.liveKeys("Assignment") == ["a2", "a3"])
    #expect(try database.liveKeys("AssignmentSubmission") == ["sub1"])
    // The id after `=` is verbatim: section=S1 is another scope, not superseded.
    try tree.write(
      "P1", "section=S1/assignments/\(Stamp.t1)",
      CSVFile.assignments(section: "S1", [("z1", "x")]))
    let other = try load(database, provider: "P1", in: tree)
    #expect(other.count(.loaded) == 1 && other.count(.superseded) == 0)
  }

  @Test(arguments: TestDatabase.available)
  func retryRejectedReoffersAndAFixedFileLoadsAsANewIdentity(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.seed("P1")
    _ = try load(database, provider: "P1", in: tree)
    let broken = Array(
      (CSVFile.usersHeader + "\nu1,LMS1,student,\"Ann\"x,a@x,\(CSVFile.datesValue)\n").utf8)
    try tree.write("P1", "users/\(Stamp.t1)", bytes: broken)
    #expect(try load(database, provider: "P1", in: tree).count(.rejected) == 1)

    // Without --retry-rejected the identity is not offered again.
    let quiet = try load(database, provider: "P1", in: tree)
    #expect(quiet.count(.rejected) == 0 && quiet.alreadyInLedger == 3)
    // With it, it is: same bytes, same result, a second ledger row.
    let retried = try load(
      database, provider: "P1", in: tree, options: ApplyOptions(retryRejected: true))
    #expect(retried.count(.rejected) == 1 && retried.alreadyInLedger == 2)
    #expect(
      try ledger(database).filter { $0.relativePath == "users/\(Stamp.t1)" }.map(\.outcome)
        == [.rejected, .rejected])

    // Fixed in place: new bytes, a new identity, loaded by an ordinary run.
    try tree.write(
      "P1", "users/\(Stamp.t1)",
      CSVFile.lines(
        CSVFile.usersHeader, [CSVFile.userRow("u1", name: "Ann"), CSVFile.userRow("u2")]))
    let fixed = try load(database, provider: "P1", in: tree)
    #expect(fixed.count(.loaded) == 1 && fixed.exitCode == 0)
    #expect(try database.value("LMSUser", "Name", key: "u1") == "Ann")
    #expect(try database.liveKeys("LMSUser") == ["u1", "u2"])
    let arrivals = try ledger(database).filter { $0.relativePath == "users/\(Stamp.t1)" }
    #expect(arrivals.map(\.outcome) == [.rejected, .rejected, .loaded])
    #expect(Set(arrivals.map(\.sha256)).count == 2)

    // A rejected file older than what loaded since is superseded when retried.
    try tree.write("P1", "sections/\(Stamp.t1)", CSVFile.sectionsHeader + "\n")
    try tree.write("P1", "sections/\(Stamp.t2)", CSVFile.sections(["s1"]))
    let mixed = try load(database, provider: "P1", in: tree)
    #expect(mixed.count(.rejected) == 1 && mixed.count(.loaded) == 1)
    let stale = try load(
      database, provider: "P1", in: tree, options: ApplyOptions(retryRejected: true))
    #expect(stale.count(.superseded) == 1 && stale.count(.rejected) == 0)
  }

  /// Two offers of one identity (two processes, or a re-delivered message): the second is a
  /// duplicate and changes nothing.
  @Test(arguments: TestDatabase.available)
  func theSameIdentityOfferedTwiceIsADuplicate(_ kind: TestDatabase.Kind) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    let path = try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(["u1", "u2"]))
    let (sha, size) = try FileHasher.sha256(path: path)
    let file = FileToApply(
      provider: "P1", absolutePath: path, relativePath: "users/\(Stamp.t0)",
      location: ResourceLocation(relativePath: "users/\(Stamp.t0)")!, sha256: sha, size: size)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let applier = ApplyTransaction(
      connection: database.connection, options: ApplyOptions(), logger: logger)
    var outcomes: [FileOutcome] = []
    try BatchApplier(transaction: applier).apply([file, file]) { outcomes.append($0.outcome) }
    #expect(outcomes == [.loaded, .duplicate])
    #expect(try database.count("LMSUser") == 2)
    var moved = file
    moved.relativePath = "users/\(Stamp.t1)"
    moved.location = ResourceLocation(relativePath: "users/\(Stamp.t1)")!
    try BatchApplier(transaction: applier).apply([moved]) { outcomes.append($0.outcome) }
    #expect(outcomes.last == .loaded, "another path is another identity")
    #expect(try ledger(database).map(\.outcome) == [.loaded, .duplicate, .loaded])
  }
}
