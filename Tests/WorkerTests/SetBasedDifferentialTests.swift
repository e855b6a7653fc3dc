import ExtractorTree
import Foundation
import Messages
import Store
import Testing

@testable import Worker

/// The set-based merge against its oracle, the per-file applier, on generated multi-night,
/// multi-provider trees: edits, deletions, restorations, invalid rows, duplicate keys, orphans,
/// empty snapshots, a rejected file and a late (superseded) file in the middle of waves, several
/// files of one scope in one batch. Tables and ledger rows must come out identical.
@Suite struct SetBasedDifferentialTests {
  static let setBasedKinds = TestDatabase.available.filter(\.setBased)

  @Test(arguments: setBasedKinds, [false, true])
  func setBasedEqualsFileByFile(_ kind: TestDatabase.Kind, allNightsAtOnce: Bool) throws {
    let perFileKind = TestDatabase.Kind.allCases.first { $0.backend == kind && !$0.setBased }!
    let setBased = try TestDatabase(kind)
    let perFile = try TestDatabase(perFileKind)
    let tree = try TreeBuilder()
    let providers = ["P1", "P2"]
    var generator = NightGenerator(seed: allNightsAtOnce ? 7 : 11)
    for night in 0..<3 {
      for provider in providers { try generator.writeNight(night, provider: provider, in: tree) }
      if !allNightsAtOnce || night == 2 {
        let roots = providers.map {
          SourceRoot(provider: ProviderName($0), path: tree.provider($0))
        }
        let summary = try load(setBased, roots)
        _ = try load(perFile, roots)
        // Night 1 fills empty scopes straight from COPY (PostgreSQL): the users and sections of
        // both providers, and child scopes of waves without orphans or submission types; every
        // later wave finds its scope filled and merges through the stage.
        if EmptyScopeFillTests.fills(kind) == 1 && (night == 0 || allNightsAtOnce) {
          #expect(summary.filledDirectly > 4)
        } else {
          #expect(summary.filledDirectly == 0)
        }
      }
    }
    try expectSameTablesAndLedger(setBased, perFile)
    for table in TestDatabase.lmsTables {
      #expect(
        try setBased.count(table) > 0 || table == "LMSSectionActivity"
          || table == "LMSUserAttendanceEvent",
        "\(table) is empty: the generator wrote nothing for it")
    }
    let outcomes = Set(try ledger(setBased).map(\.outcome))
    // All at once, the late file sorts among the others by its name and is not late.
    #expect(
      outcomes.isSuperset(
        of: allNightsAtOnce ? [.loaded, .rejected] : [.loaded, .rejected, .superseded]))
  }
}

/// Writes each night's extractor output for a provider, with the troubles real nights have.
struct NightGenerator {
  var random: SeededRandom
  init(seed: UInt64) { random = SeededRandom(seed: seed) }

  static let stamps = ["2021-01-01-00-00-00", "2021-01-02-00-00-00", "2021-01-03-00-00-00"]
  let users = (1...14).map { "u\($0)" }
  let sections = ["s1", "s2", "s3"]

  mutating func some(_ items: [String], keep: Double) -> [String] {
    items.filter { _ in Double.random(in: 0..<1, using: &random) < keep }
  }

  mutating func writeNight(_ night: Int, provider: String, in tree: TreeBuilder) throws {
    let source = "LMS-\(provider)"
    let stamp = Self.stamps[night] + ".csv"
    var userRows = some(users, keep: 0.8).map { id in
      CSVFile.userRow(
        id, name: Bool.random(using: &random) ? "Name \(id) \(night)" : nil, source: source)
    }
    if night == 1 {
      userRows.append(
        "u99,\(source),student,Bad Date,u99@example.org,not-a-date,2021-01-01 00:00:00")
      userRows.append(CSVFile.userRow("u98", source: source))
      userRows.append(CSVFile.userRow("u98", name: "Twice", source: source))
    }
    let presentUsers = users.filter { id in userRows.contains { $0.hasPrefix("\(id),") } }
    try tree.write(provider, "users/\(stamp)", CSVFile.lines(CSVFile.usersHeader, userRows))
    let liveSections = night == 2 ? ["s1", "s2"] : sections
    try tree.write(provider, "sections/\(stamp)", CSVFile.sections(liveSections, source: source))
    for section in sections {
      if night == 1, section == "s2" {
        // An empty snapshot: the section's associations are all gone.
        try tree.write(
          provider, "section=\(section)/section-associations/\(stamp)",
          CSVFile.associationsHeader + "\n")
      } else {
        var pairs = some(presentUsers, keep: 0.7).map { ("\(section)-\($0)", $0) }
        if night == 2 { pairs.append(("\(section)-ghost", "ghost")) }
        try tree.write(
          provider, "section=\(section)/section-associations/\(stamp)",
          CSVFile.associations(section: section, pairs, source: source))
      }
      if night == 2, section == "s3", provider == "P2" {
        try tree.write(
          provider, "section=\(section)/assignments/\(stamp)",
          CSVFile.assignmentsHeader + "\n\"unterminated,\(source)\n")
        continue
      }
      let types = ["x", "\"['x', 'y']\"", "y", "\"['y', 'z']\""]
      let assignments = some(["a1", "a2", "a3"], keep: 0.8).map {
        ("\(section)-\($0)", types.randomElement(using: &random)!)
      }
      try tree.write(
        provider, "section=\(section)/assignments/\(stamp)",
        CSVFile.assignments(section: section, assignments, source: source))
      for (assignment, _) in assignments {
        let rows = some(presentUsers, keep: 0.6).map {
          (
            "\(assignment)-\($0)", $0, "\(Int.random(in: 0...10, using: &random))",
            "2021-01-01 10:00:00"
          )
        }
        try tree.write(
          provider, "section=\(section)/assignment=\(assignment)/submissions/\(stamp)",
          CSVFile.submissions(assignment: assignment, rows, source: source))
      }
      let grades = some(presentUsers, keep: 0.5).map {
        ("g-\(section)-\($0)", "\(section)-\($0)", ["A", "B", "C"].randomElement(using: &random)!)
      }
      try tree.write(
        provider, "section=\(section)/grades/\(stamp)", CSVFile.grades(grades, source: source))
    }
    try tree.write(
      provider, "system-activities/date=\(Self.stamps[night].prefix(10))/\(stamp)",
      CSVFile.systemActivities(
        some(presentUsers, keep: 0.5).map { ("act-\(night)-\($0)", $0, "ok") }, source: source))
    if night == 2 {
      // A late file: older than the newest users snapshot already applied.
      try tree.write(
        provider, "users/2021-01-01-12-00-00.csv", CSVFile.users(["u1"], source: source))
    }
  }
}
