import ExtractorTree
import Foundation
import Messages
import Store
import Testing
import Worker

/// One case per rejection rule of load-semantics §4.3.
struct RejectionCase: Sendable, CustomTestStringConvertible {
  let name: String
  /// The rejected file, relative to the provider root (its name is at `Stamp.t1`).
  let path: String
  let bytes: [UInt8]
  /// What the ledger message must name besides the path: line, column or header, value.
  let fragments: [String]

  var testDescription: String { name }

  static let header = CSVFile.usersHeader
  static func users(_ lines: [String]) -> [UInt8] {
    Array(([header] + lines).joined(separator: "\n").utf8) + [0x0A]
  }
  static let good = CSVFile.userRow("u1")
  static let usersPath = "users/\(Stamp.t1)"
  static let assignmentsPath = "section=s1/assignments/\(Stamp.t1)"

  static let all: [RejectionCase] = [
    RejectionCase(
      name: "invalid UTF-8", path: usersPath,
      bytes: users([good]) + Array("u2,LMS1,student,Ren".utf8) + [0xE9]
        + Array(",r@x,\(CSVFile.datesValue)\n".utf8),
      fragments: ["line 3, column 20", "invalid UTF-8", "0xE9"]),
    RejectionCase(
      name: "NUL character", path: usersPath,
      bytes: users([good, "u2,LMS1,student,An\u{0}n,r@x,\(CSVFile.datesValue)"]),
      fragments: ["line 3, column 19", "NUL", "0x00"]),
    RejectionCase(
      name: "unterminated quote", path: usersPath,
      bytes: users([good, "u2,LMS1,student,\"Ann,r@x,\(CSVFile.datesValue)", CSVFile.userRow("u3")]
      ),
      fragments: ["line 3, column 17", "unterminated"]),
    RejectionCase(
      name: "character after closing quote", path: usersPath,
      bytes: users([good, "u2,LMS1,student,\"Ann\"x,r@x,\(CSVFile.datesValue)"]),
      fragments: ["line 3, column 22", "character after closing quote", "'x'"]),
    RejectionCase(
      name: "repeated header name", path: usersPath,
      bytes: Array(
        "SourceSystemIdentifier,SourceSystem,UserRole,Name,EmailAddress,Name,\(CSVFile.dates)\nu1,LMS1,student,A,a@x,A,\(CSVFile.datesValue)\n"
          .utf8),
      fragments: ["line 1, column 6", "'Name' repeats"]),
    RejectionCase(
      name: "missing required column", path: usersPath,
      bytes: Array(
        "SourceSystemIdentifier,SourceSystem,UserRole,Name,\(CSVFile.dates)\nu1,LMS1,student,A,\(CSVFile.datesValue)\n"
          .utf8),
      fragments: ["line 1", "'EmailAddress'", "missing"]),
    RejectionCase(
      name: "header names match exactly", path: usersPath,
      bytes: Array(
        "SourceSystemIdentifier,SourceSystem,UserRole,Name,emailaddress,\(CSVFile.dates)\nu1,LMS1,student,A,a@x,\(CSVFile.datesValue)\n"
          .utf8),
      fragments: ["line 1", "'EmailAddress'", "missing"]),
    RejectionCase(
      name: "two SourceSystem values", path: usersPath,
      bytes: users([good, CSVFile.userRow("u2"), CSVFile.userRow("u3", source: "LMS2")]),
      fragments: ["line 4, column SourceSystem", "'LMS2'", "'LMS1'"]),
    RejectionCase(
      name: "two SourceSystem values in an assignments file", path: assignmentsPath,
      bytes: Array(
        CSVFile.lines(
          CSVFile.assignmentsHeader,
          [
            "a1,LMS1,T,Homework,s1,x,\(CSVFile.datesValue)",
            "a2,Other,T,Homework,s1,x,\(CSVFile.datesValue)",
          ]
        ).utf8),
      fragments: ["line 3, column SourceSystem", "'Other'"]),
    RejectionCase(
      name: "SourceSystem of another provider", path: usersPath,
      bytes: users(["x1,OTHER,student,X,x@x,\(CSVFile.datesValue)"]),
      fragments: ["line 2, column SourceSystem", "'OTHER'", "'P0'"]),
    RejectionCase(
      name: "SourceSystem of another provider in an assignments file", path: assignmentsPath,
      bytes: Array(CSVFile.assignments(section: "s1", [("a9", "x")], source: "OTHER").utf8),
      fragments: ["line 2, column SourceSystem", "'OTHER'", "'P0'"]),
    RejectionCase(
      name: "users file without valid rows", path: usersPath,
      bytes: users(["u1,LMS1,student,A,,\(CSVFile.datesValue)"]),
      fragments: ["no valid data rows", "line 2, column EmailAddress"]),
    RejectionCase(
      name: "sections file with a header only", path: "sections/\(Stamp.t1)",
      bytes: Array((CSVFile.sectionsHeader + "\n").utf8),
      fragments: ["no valid data rows"]),
    RejectionCase(
      name: "mass delete", path: usersPath,
      bytes: users((1...5).map { CSVFile.userRow("u\($0)") }),
      fragments: ["19 of 24", "mass delete"]),
  ]
}

@Suite struct RejectionTests {
  /// Provider P0 owns SourceSystem OTHER; P1 has 24 users, 2 sections and assignments in s1.
  static func seeded(_ kind: TestDatabase.Kind) throws -> (TestDatabase, TreeBuilder) {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.write("P0", "users/\(Stamp.t0)", CSVFile.users(["x1"], source: "OTHER"))
    try tree.seed("P1", users: 24, sections: 2)
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s1", [("a1", "x"), ("a2", "y")]))
    _ = try load(database, provider: "P0", in: tree)
    let seeded = try load(database, provider: "P1", in: tree)
    #expect(seeded.count(.loaded) == 3)
    return (database, tree)
  }

  @Test(arguments: TestDatabase.available, RejectionCase.all)
  func rejectedFileChangesNothingAndLaterFilesLoad(
    _ kind: TestDatabase.Kind, _ rule: RejectionCase
  ) throws {
    let (database, tree) = try Self.seeded(kind)
    let before = try database.allStates()
    let ledgerBefore = try ledger(database).count
    try tree.write("P1", rule.path, bytes: rule.bytes)

    let summary = try load(database, provider: "P1", in: tree)
    #expect(summary.count(.rejected) == 1 && summary.count(.loaded) == 0)
    #expect(summary.exitCode == 3)
    #expect(try database.allStates() == before, "tables changed by a rejected file")
    let entries = try ledger(database)
    #expect(entries.count == ledgerBefore + 1)
    let rejected = entries.last
    #expect(rejected?.relativePath == rule.path)
    #expect(rejected?.outcome == .rejected)
    #expect(rejected?.counts == RowCounts())
    #expect(rejected?.finishedAt != nil)
    let message = rejected?.message ?? ""
    #expect(message.hasPrefix(rule.path + ":"), "\(message)")
    for fragment in rule.fragments {
      #expect(message.contains(fragment), "'\(fragment)' missing from: \(message)")
    }
    #expect(summary.rejected.first?.message == rejected?.message)

    // Not re-offered by the next scan; a later file of the same scope loads.
    let quiet = try load(database, provider: "P1", in: tree)
    #expect(quiet.count(.rejected) == 0 && quiet.alreadyInLedger == 4)
    let later = rule.path.replacingOccurrences(of: Stamp.t1, with: Stamp.t2)
    switch rule.path.split(separator: "/").first {
    case "section=s1":
      try tree.write("P1", later, CSVFile.assignments(section: "s1", [("a1", "x"), ("a3", "z")]))
    case "sections":
      try tree.write("P1", later, CSVFile.sections(["s1", "s2", "s3"]))
    default:
      try tree.write("P1", later, CSVFile.users((1...25).map { "u\($0)" }))
    }
    let next = try load(database, provider: "P1", in: tree)
    #expect(next.count(.loaded) == 1 && next.count(.rejected) == 0)
    #expect(next.exitCode == 0)
    #expect(try entry(database, later)?.outcome == .loaded)
    #expect(try entry(database, later)?.counts.inserted == 1)
  }
}

@Suite struct RejectionRecoveryTests {
  /// A fresh session whose first file of a resource is rejected must still apply the next file of
  /// that resource in the same run (the rejected file's savepoint must not take the session's
  /// staging with it).
  @Test(arguments: TestDatabase.available, [1, 500])
  func aRejectedFirstFileDoesNotBreakTheNextFilesOfItsResource(
    _ kind: TestDatabase.Kind, _ filesPerTransaction: Int
  ) throws {
    let database = try TestDatabase(kind)
    let tree = try TreeBuilder()
    try tree.write("P1", "users/\(Stamp.t0)", CSVFile.usersHeader + "\n")
    try tree.write("P1", "users/\(Stamp.t1)", CSVFile.users(["u1", "u2"]))
    try tree.write("P1", "sections/\(Stamp.t0)", CSVFile.sections(["s1"]))
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t0)",
      CSVFile.assignments(section: "s1", [("a1", "x")], source: "OTHER"))
    try tree.write(
      "P1", "section=s1/assignments/\(Stamp.t1)",
      CSVFile.assignments(section: "s1", [("a1", "x")]))
    try tree.write("P0", "users/\(Stamp.t0)", CSVFile.users(["x1"], source: "OTHER"))
    _ = try load(database, [SourceRoot(provider: "P0", path: tree.provider("P0"))])
    // A new session, as each `lmsds load` process has.
    let session = try database.openAnotherConnection()
    let summary = try load(
      connection: session, [SourceRoot(provider: "P1", path: tree.provider("P1"))],
      filesPerTransaction: filesPerTransaction)
    #expect(summary.count(.rejected) == 2)
    #expect(summary.count(.loaded) == 3, "\(summary.rejected.map { $0.message ?? "" })")
    #expect(try database.liveKeys("LMSUser") == ["u1", "u2", "x1"])
    #expect(try database.liveKeys("Assignment") == ["a1"])
  }
}
