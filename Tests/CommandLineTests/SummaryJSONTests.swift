import Foundation
import LMSDSTestSupport
import Testing

/// `load --summary-format json`: one object, numbers as numbers, counts equal to the ledger.
struct SummaryJSONTests {
  @Test func theJSONSummaryParsesAndItsCountsEqualTheLedger() throws {
    let scratch = try ScratchDirectory()
    let database = ["--database", "sqlite:lms.sqlite"]
    let load = try LmsdsRun.run(
      ["load", "-c", sampleRoot, "--settle-seconds", "0", "--summary-format", "json"] + database,
      in: scratch.path)
    #expect(load.status == 0 || load.status == 3, "\(load.output)")
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(load.standardOutput.utf8)) as? [String: Any],
      "\(load.standardOutput)")
    let files = try #require(summary["files"] as? [String: Any])
    let rows = try #require(summary["rows"] as? [String: Any])
    #expect(summary["exit_status"] as? Int == Int(load.status))
    #expect(summary["database"] as? String == "sqlite:lms.sqlite")
    #expect((summary["elapsed_seconds"] as? Double ?? -1) >= 0)
    #expect(summary["rows_per_second"] is NSNumber)

    let ledgerRun = try LmsdsRun.run(
      ["ledger", "--format", "json", "--limit", "0"] + database, in: scratch.path)
    let entries = try ledgerRun.standardOutput.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    for outcome in ["loaded", "rejected", "superseded"] {
      #expect(
        files[outcome] as? Int == entries.filter { $0["outcome"] as? String == outcome }.count,
        "\(outcome)")
    }
    for (key, ledgerKey) in [
      ("read", "rows_read"), ("inserted", "inserted"), ("updated", "updated"),
      ("invalid", "invalid"), ("orphaned", "orphans"),
    ] {
      #expect(
        rows[key] as? Int == entries.reduce(0) { $0 + ($1[ledgerKey] as? Int ?? 0) }, "\(key)")
    }
  }
}

/// The table summary ends with the run's time and rate.
struct SummaryTextTests {
  @Test func theTextSummaryHasElapsedTimeAndRowRate() throws {
    let scratch = try ScratchDirectory()
    let load = try LmsdsRun.run(
      ["load", "-c", sampleRoot, "--settle-seconds", "0", "--database", "sqlite:lms.sqlite"],
      in: scratch.path)
    let line = load.standardOutput.split(separator: "\n").first { $0.hasPrefix("Elapsed ") }
    #expect(line?.wholeMatch(of: #/Elapsed +\d+\.\d\d s, \d+ rows/s/#) != nil, "\(load.output)")
  }
}
