import Foundation
import LMSDSTestSupport
import LedgerPages
import Messages
import Store
import Testing

/// The overview as the morning check reads it: the last run apart from all-time counts, stale
/// providers and resources on an injected clock, and what to do about each rejection.
@Suite struct MorningCheckTests {
  static func overview(_ ledger: MorningLedger, hours: Double = Staleness.defaultHours) -> String {
    let location = ledger.database.location
    let site = LedgerSite(
      staleness: Staleness(hours: hours, now: { MorningLedger.morning })
    ) { try DatabaseConnector.open(location) }
    let page = site.page(path: "/", query: [:])
    #expect(page.status == 200)
    return page.body
  }

  static func between(_ html: String, _ start: String, _ end: String) -> String? {
    guard let from = html.range(of: start),
      let to = html.range(of: end, range: from.upperBound..<html.endIndex)
    else { return nil }
    return String(html[from.lowerBound..<to.upperBound])
  }

  static func runCount(_ html: String, _ outcome: String) -> Int? {
    let pattern = try! Regex(
      #"<li data-run-outcome=""# + outcome
        + #"">(?:<span[^>]*>[^<]*</span>)<span class="n">(\d+)</span>"#)
    return html.firstMatch(of: pattern).flatMap { $0.output[1].substring }.flatMap { Int($0) }
  }

  @Test(arguments: TestDatabase.available)
  func lastRunIsShownApartFromAllTimeCounts(_ kind: TestDatabase.Kind) throws {
    let ledger = try MorningLedger(kind)
    let page = Self.overview(ledger)
    let section = try #require(
      HTMLProbe.providerSection(page, provider: MorningLedger.provider.rawValue))
    let run = try #require(Self.between(section, "<div class=\"lastrun\">", "</div>"))

    // The second night only, newest first; the users file once, by its loaded row.
    let expected =
      MorningLedger.rejections.reversed().map { ledger.id($0.path) } + [
        ledger.id("sections/2025-12-31-01-00-00.csv"),
        ledger.id("sections/2026-01-02-01-00-00.csv"),
        ledger.id("users/2026-01-02-01-00-00.csv"),
      ]
    #expect(HTMLProbe.fileItems(run).map(\.id) == expected)
    #expect(run.contains("From 2026-01-02 02:00:00 UTC to 2026-01-02 02:07:00 UTC: 7 files."))
    #expect(Self.runCount(run, "loaded") == 2)
    #expect(Self.runCount(run, "rejected") == 4)
    #expect(Self.runCount(run, "superseded") == 1)
    #expect(Self.runCount(run, "published") == nil)
    #expect(Self.runCount(run, "set-aside") == 1)
    // The loaded file that set rows aside says so in badges of its own, in words.
    #expect(run.contains("<span class=\"badge flag\" data-flag=\"invalid\">3 invalid rows</span>"))
    #expect(run.contains("<span class=\"badge flag\" data-flag=\"orphans\">1 orphan</span>"))

    // All-time counts stay: both nights, every outcome.
    let allTime = try #require(Self.between(section, "<div class=\"alltime\">", "</div>"))
    #expect(HTMLProbe.count(allTime, "loaded") == 5)
    #expect(HTMLProbe.count(allTime, "rejected") == 5)
    #expect(HTMLProbe.count(allTime, "superseded") == 1)
    #expect(HTMLProbe.count(allTime, "published") == 1)
  }

  @Test(arguments: TestDatabase.available)
  func staleProvidersAndResourcesAreFlagged(_ kind: TestDatabase.Kind) throws {
    let ledger = try MorningLedger(kind)
    let page = Self.overview(ledger)
    let north = try #require(
      HTMLProbe.providerSection(page, provider: MorningLedger.provider.rawValue))
    // Grades' newest snapshot is four days behind users' and sections'.
    #expect(
      north.contains(
        "<tr data-resource=\"grades\"><td>grades</td><td>2025-12-29 01:00:00</td><td class=\"num\">1</td><td class=\"freshness\" data-stale=\"resource\"><span class=\"badge flag\" data-flag=\"stale\">stale</span> 4 days behind the provider's newest snapshot</td>"
      ))
    #expect(
      north.contains(
        "<tr data-resource=\"users\"><td>users</td><td>2026-01-02 01:00:00</td><td class=\"num\">1</td><td class=\"freshness\">current</td>"
      ))
    // North's last file came at 02:07, seven hours before the morning: not stale.
    #expect(!north.contains("data-stale=\"provider\""))
    // Quiet's only file came 31 hours before.
    let quiet = try #require(
      HTMLProbe.providerSection(page, provider: MorningLedger.quietProvider.rawValue))
    #expect(
      quiet.contains(
        "<p class=\"stale\" data-stale=\"provider\"><span class=\"badge flag\" data-flag=\"stale\">stale</span> No file for 31 hours, more than 26 h.</p>"
      ))

    // A longer threshold flags neither.
    let lenient = Self.overview(ledger, hours: 100)
    #expect(!lenient.contains("data-stale="))
    #expect(lenient.contains("<td class=\"freshness\">current</td>"))
  }

  @Test(arguments: TestDatabase.available)
  func everyRejectionSaysWhatToDo(_ kind: TestDatabase.Kind) throws {
    let ledger = try MorningLedger(kind)
    let location = ledger.database.location
    let site = LedgerSite { try DatabaseConnector.open(location) }
    let overview = Self.overview(ledger)
    let run = try #require(Self.between(overview, "<div class=\"lastrun\">", "</div>"))
    let advice = [
      "fix-file": "re-export", "mass-delete": "--allow-mass-delete --retry-rejected",
      "changed-on-disk": "--retry-rejected", "database-refused": "--retry-rejected",
    ]
    for rejection in MorningLedger.rejections {
      let id = ledger.id(rejection.path)
      // In the run's list, the hint follows the file's message.
      let item = try #require(Self.between(run, "href=\"/files/\(id)\"", "</li>"))
      let hint = try #require(Self.between(item, "<p class=\"hint\"", "</p>"), "\(rejection.path)")
      #expect(hint.contains("data-hint=\"\(rejection.hint)\""), "\(rejection.path)")
      #expect(hint.contains(try #require(advice[rejection.hint])), "\(hint)")
      #expect(
        item.range(of: "<pre class=\"message")!.lowerBound
          < item.range(of: "<p class=\"hint\"")!.lowerBound)
      // And on the file's own page.
      let page = site.page(path: "/files/\(id)", query: [:])
      #expect(page.body.contains("<p class=\"hint\" data-hint=\"\(rejection.hint)\">"))
    }
    // Files that were not rejected get no advice.
    let loaded = site.page(path: "/files/\(ledger.id("users/2026-01-02-01-00-00.csv"))", query: [:])
    #expect(!loaded.body.contains("class=\"hint\""))
  }

  @Test func staleAfterIsAnOptionOfServeAndWork() throws {
    let scratch = try ScratchDirectory(prefix: "lmsds-stale-after")
    for command in ["serve", "work"] {
      let help = try LmsdsRun.run([command, "--help"], in: scratch.path)
      #expect(help.status == 0)
      #expect(help.output.contains("--stale-after <hours>"), "\(command): \(help.output)")
    }
    for value in ["0", "-3", "nan"] {
      let run = try LmsdsRun.run(
        ["serve", "--database", "sqlite:\(scratch.path)/none.sqlite", "--stale-after=\(value)"],
        in: scratch.path)
      #expect(run.status == 2, "\(value): \(run.output)")
      #expect(
        run.output.contains("--stale-after must be a positive number of hours"), "\(run.output)")
    }
  }
}
