import Foundation
import Messages
import Store
import Testing

/// The ledger pages as a person sees them: the real `lmsds serve` against a loaded database,
/// opened in headless Chromium, asserting on the DOM the browser built.
@Suite(
  .serialized, .enabled(if: HeadlessChromium.configuredPath != nil, "LMSDS_TEST_CHROMIUM not set"))
struct LedgerBrowserTests {
  @Test(arguments: TestDatabase.available)
  func servedPagesShowLoadedRejectedAndSupersededFiles(_ kind: TestDatabase.Kind) throws {
    let fixture = try LedgerFixture(kind)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lmsds-browser-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let chromium = HeadlessChromium(
      binary: try #require(HeadlessChromium.configuredPath),
      profile: scratch.appendingPathComponent("profile"))
    // Sections' newest snapshot is 48 hours older than users': stale past a 47.5-hour threshold.
    let server = try ServeProcess(
      databaseURL: fixture.database.url, logDirectory: scratch,
      arguments: ["--stale-after", "47.5"])

    let rows = try fixture.rows(of: LedgerFixture.provider)
    let loaded = try #require(rows.last { $0.entry.outcome == .loaded })
    let rejected = try #require(rows.first { $0.entry.outcome == .rejected })
    let superseded = try #require(rows.first { $0.entry.outcome == .superseded })

    let overview = try chromium.dumpDOM(server.baseURL + "/")
    let section = try #require(
      HTMLProbe.providerSection(overview, provider: LedgerFixture.provider.rawValue),
      "\(overview)")
    let shown = HTMLProbe.fileItems(section)
    for row in [loaded, rejected, superseded] {
      let item = try #require(shown.first { $0.id == row.id }, "\(row.entry.relativePath)")
      #expect(item.outcome == row.entry.outcome.rawValue)
      #expect(HTMLProbe.unescape(item.path) == row.entry.relativePath)
    }
    for outcome in FileOutcome.allCases {
      #expect(
        HTMLProbe.count(section, outcome.rawValue)
          == rows.filter { $0.entry.outcome == outcome }.count, "\(outcome)")
    }
    let messages = HTMLProbe.messages(section).map(HTMLProbe.unescape)
    #expect(messages.contains(try #require(rejected.entry.message)))
    #expect(messages.contains(try #require(superseded.entry.message)))
    // The hostile value stayed text: the browser built no <b> element from it.
    #expect(!overview.contains("<b>"))
    #expect(overview.contains("LMS2&amp;"))

    // The morning check: both loads fell within minutes, so the last run holds every file, newest
    // first, and the rejection says what to do.
    let runStart = try #require(section.range(of: "<div class=\"lastrun\">"))
    let run = String(section[runStart.lowerBound...])
    let runEnd = try #require(run.range(of: "</div>"))
    let runItems = HTMLProbe.fileItems(String(run[..<runEnd.upperBound]))
    #expect(runItems.map(\.id) == rows.map(\.id).reversed())
    #expect(run.contains("<p class=\"hint\" data-hint=\"fix-file\">"))
    #expect(section.contains("more than 47.5 h"))
    #expect(
      section.contains(
        "<tr data-resource=\"sections\"><td>sections</td><td>2021-01-01 00:00:00</td><td class=\"num\">1</td><td class=\"freshness\" data-stale=\"resource\"><span class=\"badge flag\" data-flag=\"stale\">stale</span> 48 hours behind"
      ), "\(section)")
    #expect(
      section.contains(
        "<tr data-resource=\"users\"><td>users</td><td>2021-01-03 00:00:00</td><td class=\"num\">1</td><td class=\"freshness\">current</td>"
      ))

    for row in [loaded, rejected, superseded] {
      let page = try chromium.dumpDOM(server.baseURL + "/files/\(row.id)")
      #expect(
        page.contains("<section class=\"card file\" data-outcome=\"\(row.entry.outcome)\">"))
      #expect(
        HTMLProbe.text(page, after: "<tr data-count=\"rows read\"><th>rows read</th><td")
          == "\(row.entry.counts.rowsRead)")
      #expect(
        HTMLProbe.text(page, after: "<tr data-count=\"inserted\"><th>inserted</th><td")
          == "\(row.entry.counts.inserted)")
      #expect(HTMLProbe.messages(page).first.map(HTMLProbe.unescape) == row.entry.message)
    }

    // Screenshots of the rejected file's page and of the overview, at a phone's width and a
    // desktop's; LMSDS_TEST_SCREENSHOTS keeps them for a person to look at.
    let keep = ProcessInfo.processInfo.environment["LMSDS_TEST_SCREENSHOTS"].map {
      URL(fileURLWithPath: $0)
    }
    for (name, path) in [("file", "/files/\(rejected.id)"), ("overview", "/")] {
      for (device, width, height) in [("phone", 390, 844), ("desktop", 1280, 900)] {
        let file = "\(kind)-\(name)-\(device).png"
        let png = scratch.appendingPathComponent(file).path
        try chromium.screenshot(server.baseURL + path, windowSize: "\(width),\(height)", to: png)
        let size = try PNGSize(path: png)
        #expect(size.width == width && size.height == height, "\(file)")
        if let keep {
          try? FileManager.default.createDirectory(at: keep, withIntermediateDirectories: true)
          try? FileManager.default.removeItem(at: keep.appendingPathComponent(file))
          try FileManager.default.copyItem(
            atPath: png, toPath: keep.appendingPathComponent(file).path)
        }
      }
    }

    // SIGTERM stops it gracefully, with status 0.
    #expect(server.stop() == 0, "\(server.log)")
  }

  @Test func ciRunsTheBrowserTests() {
    if ProcessInfo.processInfo.environment["CI"] != nil {
      #expect(HeadlessChromium.configuredPath != nil, "CI must run the browser tests")
    }
  }
}
