import Archive
import Foundation
import Messages
import Testing

/// The prune rules, on ledger facts alone.
@Suite struct ArchivePruneTests {
  static let old = Date(timeIntervalSince1970: 1_700_000_000)
  static let cutoff = old.addingTimeInterval(86_400)
  static let recent = cutoff.addingTimeInterval(60)

  static func sha(_ n: Int) -> SHA256Digest {
    SHA256Digest(hex: String(repeating: String(n % 10), count: 64))!
  }

  static func archived(_ provider: String, _ n: Int, at date: Date = old) -> ArchivedFile {
    ArchivedFile(
      provider: ProviderName(provider), sha256: sha(n), path: "/a/\(provider)/\(sha(n))",
      size: 10, storedAt: date)
  }

  static func fact(
    _ provider: String, _ path: String, _ n: Int, _ outcome: ArchiveLedgerFact.Outcome,
    resource: String = "users", scope: String = ""
  ) -> ArchiveLedgerFact {
    let name = String(path.split(separator: "/").last!.prefix(19))
    return ArchiveLedgerFact(
      provider: ProviderName(provider), relativePath: path, sha256: sha(n), resource: resource,
      scopeKey: scope, nameTimestamp: NameTimestamp(name)!, outcome: outcome)
  }

  @Test func keepsTheNewestLoadedFileOfEachScopeAndRemovesOlderOnes() {
    let facts = [
      Self.fact("canvas", "users/2024-01-01-00-00-00.csv", 1, .published),
      Self.fact("canvas", "users/2024-01-01-00-00-00.csv", 1, .loaded),
      Self.fact("canvas", "users/2024-01-02-00-00-00.csv", 2, .published),
      Self.fact("canvas", "users/2024-01-02-00-00-00.csv", 2, .loaded),
      // Another scope: its only loaded file stays; a rejected newer one does not count.
      Self.fact(
        "canvas", "sections/section=7/assignments/2024-01-01-00-00-00.csv", 3, .loaded,
        resource: "assignments", scope: "section=7"),
      Self.fact(
        "canvas", "sections/section=7/assignments/2024-01-03-00-00-00.csv", 4, .other,
        resource: "assignments", scope: "section=7"),
      // The same scope key under another provider is another scope.
      Self.fact("schoology", "users/2024-01-01-00-00-00.csv", 5, .loaded),
    ]
    let archived =
      [1, 2, 3, 4].map { Self.archived("canvas", $0) } + [Self.archived("schoology", 5)]
    let selection = ArchivePrune.select(archived: archived, facts: facts, storedBefore: Self.cutoff)
    #expect(selection.remove.map(\.sha256) == [Self.sha(1), Self.sha(4)])
    #expect(selection.keptNewest == 3)
  }

  @Test func neverRemovesAFilePublishedButNotApplied() {
    let facts = [
      Self.fact("canvas", "users/2024-01-01-00-00-00.csv", 1, .loaded),
      Self.fact("canvas", "users/2024-01-02-00-00-00.csv", 2, .loaded),
      // Replayed, and no worker has applied the replay yet.
      Self.fact("canvas", "users/2024-01-01-00-00-00.csv", 1, .published),
      // Never applied at all.
      Self.fact("canvas", "users/2024-01-03-00-00-00.csv", 3, .published),
    ]
    let archived = [1, 2, 3].map { Self.archived("canvas", $0) }
    let selection = ArchivePrune.select(archived: archived, facts: facts, storedBefore: Self.cutoff)
    #expect(selection.remove.isEmpty)
    #expect(selection.keptUnapplied == 2)
    #expect(selection.keptNewest == 1)
  }

  @Test func keepsRecentFilesAndRemovesOldStrays() {
    let stray = ArchivedFile(
      provider: "canvas", sha256: nil, path: "/a/canvas/11/.x.tmp", size: 3, storedAt: Self.old)
    let archived = [
      Self.archived("canvas", 1, at: Self.recent), Self.archived("canvas", 2), stray,
    ]
    // Digest 2 is in no ledger row (its run stopped before publishing): harmless, and old.
    let facts = [Self.fact("canvas", "users/2024-01-01-00-00-00.csv", 3, .loaded)]
    let selection = ArchivePrune.select(archived: archived, facts: facts, storedBefore: Self.cutoff)
    #expect(selection.remove == [Self.archived("canvas", 2), stray])
  }

  @Test func aForcedReplayOfTheNewestNameKeepsItsBytes() {
    // Two different contents under one name over time: the later applied one is the state.
    let facts = [
      Self.fact("canvas", "users/2024-01-02-00-00-00.csv", 1, .loaded),
      Self.fact("canvas", "users/2024-01-02-00-00-00.csv", 2, .loaded),
    ]
    let archived = [1, 2].map { Self.archived("canvas", $0) }
    let selection = ArchivePrune.select(archived: archived, facts: facts, storedBefore: Self.cutoff)
    #expect(selection.remove.map(\.sha256) == [Self.sha(1)])
  }
}
