import Foundation
import LedgerPages
import Messages
import Store
import Testing

/// The pages as HTML, read back against what the ledger holds after real loads.
@Suite struct LedgerSiteTests {
  static func site(_ fixture: LedgerFixture) -> LedgerSite {
    let location = fixture.database.location
    return LedgerSite(databaseDescription: location.redactedDescription) {
      try DatabaseConnector.open(location)
    }
  }

  static func providerPath(_ provider: ProviderName) -> String {
    "/providers/"
      + (provider.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
  }

  @Test(arguments: TestDatabase.available)
  func overviewShowsEveryOutcomeCountAndRejection(_ kind: TestDatabase.Kind) throws {
    let fixture = try LedgerFixture(kind)
    let page = Self.site(fixture).page(path: "/", query: [:])
    #expect(page.status == 200)
    #expect(page.contentType.hasPrefix("text/html"))
    #expect(page.body.contains("<meta name=\"viewport\""))
    #expect(!page.body.contains("<script"))

    // The untrusted text is shown, never interpreted.
    #expect(!page.body.contains(LedgerFixture.provider.rawValue))
    #expect(!page.body.contains(LedgerFixture.hostileValue))

    for provider in [LedgerFixture.provider, LedgerFixture.otherProvider] {
      let rows = try fixture.rows(of: provider)
      let section = try #require(
        HTMLProbe.providerSection(page.body, provider: provider.rawValue), "\(provider)")
      for outcome in FileOutcome.allCases {
        #expect(
          HTMLProbe.count(section, outcome.rawValue)
            == rows.filter { $0.entry.outcome == outcome }.count, "\(provider) \(outcome)")
      }
      // Latest files: every row (fewer than a page), newest first, with its outcome and path.
      let latest = HTMLProbe.fileItems(
        String(section[section.range(of: "<div class=\"latest\">")!.lowerBound...]))
      #expect(latest.map(\.id) == rows.map(\.id).reversed())
      for item in latest {
        let row = try #require(rows.first { $0.id == item.id })
        #expect(item.outcome == row.entry.outcome.rawValue)
        #expect(HTMLProbe.unescape(item.path) == row.entry.relativePath)
      }
      // Newest applied snapshot of users: the newest loaded users file, not the superseded
      // or the rejected one.
      let newestUsers = rows.filter { $0.entry.outcome == .loaded && $0.entry.resource == .users }
        .map(\.entry.nameTimestamp).max()
      #expect(
        HTMLProbe.text(section, after: "<tr data-resource=\"users\"><td>users</td><td")
          == newestUsers.map { "\($0)" })
    }

    let rows = try fixture.rows(of: LedgerFixture.provider)
    let rejected = try #require(rows.first { $0.entry.outcome == .rejected })
    let superseded = try #require(rows.first { $0.entry.outcome == .superseded })
    let message = try #require(rejected.entry.message)
    #expect(message.contains(LedgerFixture.hostileValue), "\(message)")
    let section = try #require(
      HTMLProbe.providerSection(page.body, provider: LedgerFixture.provider.rawValue))
    let rejections = String(
      section[
        section.range(of: "<div class=\"rejections\">")!
          .lowerBound..<section.range(of: "<div class=\"latest\">")!.lowerBound])
    #expect(HTMLProbe.fileItems(rejections).map(\.id) == [rejected.id])
    #expect(HTMLProbe.messages(rejections).map(HTMLProbe.unescape) == [message])
    #expect(HTMLProbe.messages(section).map(HTMLProbe.unescape).contains(superseded.entry.message!))
    // The other provider has no rejections and says so.
    let other = try #require(
      HTMLProbe.providerSection(page.body, provider: LedgerFixture.otherProvider.rawValue))
    #expect(other.contains("<div class=\"rejections\"><p class=\"meta\">None.</p>"))
  }

  @Test(arguments: TestDatabase.available)
  func providerPageListsFilterAndPages(_ kind: TestDatabase.Kind) throws {
    let fixture = try LedgerFixture(kind)
    let site = Self.site(fixture)
    let path = Self.providerPath(LedgerFixture.provider)
    let rows = try fixture.rows(of: LedgerFixture.provider)

    let all = site.page(path: path, query: [:])
    #expect(all.status == 200)
    #expect(HTMLProbe.fileItems(all.body).map(\.id) == rows.map(\.id).reversed())
    #expect(HTMLProbe.count(all.body, "rejected") == 1)

    for outcome in FileOutcome.allCases {
      let filtered = site.page(path: path, query: ["outcome": outcome.rawValue])
      #expect(filtered.status == 200)
      #expect(
        HTMLProbe.fileItems(filtered.body).map(\.id)
          == rows.filter { $0.entry.outcome == outcome }.map(\.id).reversed(), "\(outcome)")
    }
    let newest = try #require(rows.last)
    let older = site.page(path: path, query: ["before": "\(newest.id)"])
    #expect(HTMLProbe.fileItems(older.body).map(\.id) == rows.dropLast().map(\.id).reversed())

    #expect(site.page(path: path, query: ["outcome": "lost"]).status == 400)
    #expect(site.page(path: path, query: ["before": "x"]).status == 400)
    #expect(site.page(path: "/providers/nobody", query: [:]).status == 404)
    // Only the other provider's files under its own page.
    let other = site.page(path: Self.providerPath(LedgerFixture.otherProvider), query: [:])
    #expect(
      HTMLProbe.fileItems(other.body).map(\.id)
        == (try fixture.rows(of: LedgerFixture.otherProvider)).map(\.id).reversed())
  }

  @Test(arguments: TestDatabase.available)
  func filePageShowsTheWholeRow(_ kind: TestDatabase.Kind) throws {
    let fixture = try LedgerFixture(kind)
    let site = Self.site(fixture)
    for (id, entry) in try fixture.rows() {
      let page = site.page(path: "/files/\(id)", query: [:])
      #expect(page.status == 200)
      #expect(page.body.contains("<section class=\"card file\" data-outcome=\"\(entry.outcome)\">"))
      let counts: [(String, Int)] = [
        ("rows read", entry.counts.rowsRead), ("inserted", entry.counts.inserted),
        ("updated", entry.counts.updated), ("unchanged", entry.counts.unchanged),
        ("soft-deleted", entry.counts.softDeleted), ("invalid", entry.counts.invalid),
      ]
      for (name, value) in counts {
        #expect(
          HTMLProbe.text(page.body, after: "<tr data-count=\"\(name)\"><th>\(name)</th><td")
            == "\(value)", "\(entry.relativePath) \(name)")
      }
      #expect(
        HTMLProbe.text(page.body, after: "<dd data-field=\"path\"><span")
          .map(HTMLProbe.unescape) == entry.relativePath)
      #expect(
        HTMLProbe.text(page.body, after: "<dd data-field=\"SHA-256\"><span") == entry.sha256.hex)
      #expect(
        HTMLProbe.text(page.body, after: "<dd data-field=\"resource\"") == "\(entry.resource)")
      let shownMessages = HTMLProbe.messages(page.body).map(HTMLProbe.unescape)
      if let message = entry.message, !message.isEmpty {
        #expect(shownMessages.first == message)
      } else {
        #expect(shownMessages.isEmpty)
      }
    }
    // Three arrivals at users/…: the page of one lists only the other arrivals at its own path.
    let rows = try fixture.rows(of: LedgerFixture.provider)
    let loadedUsers = try #require(rows.first { $0.entry.relativePath.hasPrefix("users/") })
    let page = site.page(path: "/files/\(loadedUsers.id)", query: [:])
    #expect(!page.body.contains("Every arrival at this path"))
  }

  @Test(arguments: TestDatabase.available)
  func everyLinkLeadsToAPage(_ kind: TestDatabase.Kind) throws {
    let fixture = try LedgerFixture(kind)
    let site = Self.site(fixture)
    var seen: Set<String> = []
    var pending = ["/"]
    while let link = pending.popLast() {
      guard seen.insert(link).inserted else { continue }
      let parts = link.split(separator: "?", maxSplits: 1)
      var query: [String: String] = [:]
      if parts.count == 2 {
        for item in parts[1].split(separator: "&") {
          let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
          query[pair[0]] = pair.count == 2 ? pair[1] : ""
        }
      }
      let page = site.page(path: String(parts[0]), query: query)
      #expect(page.status == 200, "\(link)")
      pending += HTMLProbe.links(page.body).filter { $0.hasPrefix("/") && !seen.contains($0) }
    }
    // Every row's page was reached from the overview by following links.
    for (id, _) in try fixture.rows() { #expect(seen.contains("/files/\(id)")) }
  }

  @Test func unknownAddressesAreNotFound() throws {
    let fixture = try LedgerFixture(.sqlite)
    let site = Self.site(fixture)
    for path in ["/nope", "/files/0", "/files/abc", "/files/999999", "/files/1/x", "/providers/"] {
      let page = site.page(path: path, query: [:])
      #expect(page.status == 404, "\(path)")
      #expect(page.body.contains("<h1>Not found</h1>"), "\(path)")
    }
  }

  @Test func aDatabaseWithoutTheLedgerSaysSo() throws {
    let database = try TestDatabase(.sqlite, migrated: false)
    let location = database.location
    #expect(!LedgerSite.hasLedger(database.connection))
    let site = LedgerSite { try DatabaseConnector.open(location) }
    let page = site.page(path: "/", query: [:])
    #expect(page.status == 503)
    #expect(page.body.contains(LedgerSite.missingLedgerText))
    // Once migrated, the same site shows the (empty) ledger.
    try MigrationRunner(dialect: database.connection.dialect).migrate(database.connection)
    let after = site.page(path: "/", query: [:])
    #expect(after.status == 200)
    #expect(after.body.contains("The ledger is empty"))
  }
}
