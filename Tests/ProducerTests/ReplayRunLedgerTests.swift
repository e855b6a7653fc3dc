import Foundation
import Messages
import Store
import Testing

@testable import Producer

@Suite struct ReplayRunLedgerTests {
  /// A broker failure part-way: every file the broker acknowledged has its `published` row when
  /// the replay ends, in send order, and no other file has one. (Each row is written as soon as its
  /// file is acknowledged: a replay re-offers rejected files, which a worker applies only once
  /// that row follows the rejection in the ledger.)
  @Test func everyAcknowledgedFileHasItsRowWhenTheReplayStops() async throws {
    let count = ProduceRun.publishedRowsPerWrite + 60
    var plan = ReplayPlan()
    plan.files = (0..<count).map { index in
      ReplayFile(
        provider: "p", resource: .users,
        relativePath: String(format: "users/2021-01-01-00-%02d-%02d.csv", index / 60, index % 60),
        size: 10, sha256: SHA256Digest(hex: String(repeating: "a", count: 64))!,
        nameTimestamp: NameTimestamp("2021-01-01 00:00:00")!, source: .topic(offset: Int64(index)))
    }
    let store = try ScratchLedger()
    let failing = RecordingPublisher(failAt: count - 9)
    let result = try await ReplayRun(
      connection: store.connection, publisher: failing, logger: quietLogger, force: false,
      root: nil
    ).publish(plan)

    #expect(result.exitCode == 1)
    #expect(failing.paths == plan.files.prefix(count - 10).map(\.relativePath))
    let rows = try store.ledger.entries()
    #expect(rows.map(\.relativePath) == failing.paths)
    #expect(rows.allSatisfy { $0.outcome == .published && $0.replay })
  }
}
