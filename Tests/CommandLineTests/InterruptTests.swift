import Foundation
import LMSDSTestSupport
import Store
import Testing

/// Ctrl-C during a load: it says how many files it committed, and the ledger agrees.
struct InterruptTests {
  @Test func anInterruptedLoadSaysWhatItCommitted() throws {
    let scratch = try ScratchDirectory()
    let root = try scratch.directory("canvas")
    let users = try scratch.directory("canvas/users")
    // Many small snapshots, one file per transaction: a load that takes long enough to stop.
    let sampleUsers = try FileManager.default.contentsOfDirectory(atPath: sampleRoot + "/users")
      .sorted()
    let text = try String(
      contentsOfFile: sampleRoot + "/users/" + sampleUsers[0], encoding: .utf8)
    for index in 0..<3000 {
      let name = String(
        format: "2021-01-%02d-%02d-%02d-00.csv", 1 + index / 1440, index / 60 % 24, index % 60)
      try text.write(toFile: "\(users)/\(name)", atomically: false, encoding: .utf8)
    }
    let databasePath = scratch.path + "/lms.sqlite"
    let run = try LmsdsRun.run(
      [
        "load", "--csvpath", root, "--database", "sqlite:\(databasePath)", "--settle-seconds",
        "0", "--files-per-transaction", "1", "--log-level", "debug",
      ], in: scratch.path,
      interrupt: { standardError in
        // A few transactions in (one file each, a debug line per wave): the first has committed,
        // and thousands are still to come however fast the machine.
        standardError.components(separatedBy: "wave applied").count > 4
      })
    #expect(run.status == 130, "\(run.output)")
    let match = try #require(
      run.standardError.firstMatch(of: #/interrupted: (\d+) files committed/#), "\(run.output)")
    let committed = try #require(Int(match.output.1))
    let ledger = try SQLiteConnection(path: scratch.path + "/lms.sqlite")
      .query("SELECT count(*) FROM FileLedger")
    // The signal may fall between a commit and the count it updates: one file more at most.
    let recorded = Int(ledger.first?.int(0) ?? -1)
    #expect(recorded == committed || recorded == committed + 1, "\(recorded) vs \(committed)")
    #expect(committed > 0 && committed < 3000)
  }
}
