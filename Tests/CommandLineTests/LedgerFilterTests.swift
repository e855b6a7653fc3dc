import Foundation
import LMSDSTestSupport
import Testing

/// `lmsds ledger`: newest first, a default limit, and filters by time, outcome and provider.
struct LedgerFilterTests {
  struct Line {
    let text: String
    let object: [String: Any]
    var outcome: String { object["outcome"] as? String ?? "" }
  }

  /// The database of a run, given through DATABASE_URL (a PostgreSQL URL holds a password).
  enum Kind: String, CaseIterable {
    case sqlite
    case postgresql
  }

  func ledger(_ arguments: [String], _ scratch: ScratchDirectory, _ url: String) throws -> [Line] {
    let run = try LmsdsRun.run(
      ["ledger", "--format", "json"] + arguments, in: scratch.path,
      environment: ["DATABASE_URL": url])
    guard run.status == 0 else { throw TestFailure("ledger \(arguments): \(run.output)") }
    return try run.standardOutput.split(separator: "\n").map { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      return Line(text: String(line), object: object ?? [:])
    }
  }

  @Test(arguments: Kind.allCases)
  func filtersLimitAndOrder(_ kind: Kind) throws {
    if kind == .postgresql, !ScratchPostgres.shouldRun { return }
    let scratch = try ScratchDirectory()
    let postgres = kind == .postgresql ? try ScratchPostgres() : nil
    let url = postgres?.url ?? "sqlite:lms.sqlite"
    let load = try LmsdsRun.run(
      ["load", "-c", sampleRoot, "--settle-seconds", "0"], in: scratch.path,
      environment: ["DATABASE_URL": url])
    #expect(load.status == 0 || load.status == 3, "\(load.output)")

    let all = try ledger(["--limit", "0"], scratch, url)
    #expect(all.count > 3)
    // Newest first: started times never increase down the list.
    let started = all.compactMap { $0.object["started_at"] as? String }
    #expect(started == started.sorted(by: >))

    let two = try ledger(["--limit", "2"], scratch, url)
    #expect(two.map(\.text) == all.prefix(2).map(\.text))

    let outcome = try #require(all.first?.outcome)
    let sameOutcome = try ledger(["--outcome", outcome, "--limit", "0"], scratch, url)
    #expect(sameOutcome.map(\.text) == all.filter { $0.outcome == outcome }.map(\.text))

    #expect(try ledger(["--provider", "BestLMS", "--limit", "0"], scratch, url).count == all.count)
    #expect(try ledger(["--provider", "OtherLMS"], scratch, url).isEmpty)
    #expect(try ledger(["--since", "1h", "--limit", "0"], scratch, url).count == all.count)
    #expect(try ledger(["--since", "2999-01-01"], scratch, url).isEmpty)

    let bad = try LmsdsRun.run(
      ["ledger", "--since", "yesterday"], in: scratch.path, environment: ["DATABASE_URL": url])
    #expect(bad.status == 2, "\(bad.output)")
  }
}
