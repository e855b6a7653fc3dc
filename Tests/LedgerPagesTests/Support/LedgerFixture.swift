import ExtractorTree
import Foundation
import Logging
import Messages
import Store
import Worker

/// A database whose ledger holds every outcome the pages must tell apart, loaded by the real
/// pipeline (`EmbeddedLoad`, as `lmsds load` runs it):
///
/// - provider `north <&> lms` (a name that must be escaped in HTML and encoded in URLs): users and
///   sections loaded, a newer users file loaded, then an older users file (superseded) and a
///   newer one with a second SourceSystem value `<b>LMS2&</b>` (rejected, the value quoted in
///   the message);
/// - provider `P2`: one users file loaded.
final class LedgerFixture {
  static let provider = ProviderName("north <&> lms")
  static let otherProvider = ProviderName("P2")
  /// What the rejected file's bad value looks like; its message quotes it.
  static let hostileValue = "<b>LMS2&</b>"

  let database: TestDatabase
  let root: URL

  init(_ kind: TestDatabase.Kind) throws {
    database = try TestDatabase(kind)
    root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lmsds-pages-tree-\(UUID().uuidString)")
    try write(Self.provider, "users/2021-01-01-00-00-00.csv", Self.users(["u1", "u2", "u3"]))
    try write(Self.provider, "sections/2021-01-01-00-00-00.csv", Self.sections(["s1", "s2"]))
    try write(Self.provider, "users/2021-01-03-00-00-00.csv", Self.users(["u1", "u2", "u3", "u4"]))
    // Another SourceSystem: each is loaded by one provider only.
    try write(
      Self.otherProvider, "users/2021-01-01-00-00-00.csv", Self.users(["v1"], source: "LMS9"))
    try load()
    try write(Self.provider, "users/2021-01-02-00-00-00.csv", Self.users(["u1"]))
    try write(
      Self.provider, "users/2021-01-04-00-00-00.csv",
      Self.users(["u1"]) + Self.userRow("u9", source: Self.hostileValue) + "\n")
    try load()
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  /// Every ledger row with its key, oldest first.
  func rows() throws -> [(id: Int64, entry: LedgerEntry)] {
    let ledger = Ledger(connection: database.connection)
    let ids = try database.connection.query(
      "SELECT FileLedgerIdentifier FROM \(ledger.ledgerTable) ORDER BY FileLedgerIdentifier"
    ).compactMap { $0.int(0) }
    let entries = try ledger.entries()
    precondition(ids.count == entries.count)
    return Array(zip(ids, entries)).map { (id: $0.0, entry: $0.1) }
  }

  func rows(of provider: ProviderName) throws -> [(id: Int64, entry: LedgerEntry)] {
    try rows().filter { $0.entry.provider == provider }
  }

  private func load() throws {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let roots = [Self.provider, Self.otherProvider].map {
      SourceRoot(provider: $0, path: root.appendingPathComponent($0.rawValue).path)
    }
    _ = try EmbeddedLoad(
      connection: database.connection, logger: logger, options: ApplyOptions(), settleSeconds: 0
    ).run(roots)
  }

  /// Dated an hour ago, so the settle window never holds a file back.
  private func write(_ provider: ProviderName, _ relativePath: String, _ text: String) throws {
    let url = root.appendingPathComponent(provider.rawValue).appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: url.path)
  }

  private static let dates = "2021-01-01 00:00:00,2021-01-01 00:00:00"

  private static func userRow(_ id: String, source: String = "LMS1") -> String {
    "\(id),\(source),student,User \(id),\(id)@example.org,\(dates)"
  }

  private static func users(_ ids: [String], source: String = "LMS1") -> String {
    (["SourceSystemIdentifier,SourceSystem,UserRole,Name,EmailAddress,CreateDate,LastModifiedDate"]
      + ids.map { userRow($0, source: source) }).joined(separator: "\n") + "\n"
  }

  private static func sections(_ ids: [String]) -> String {
    (["SourceSystemIdentifier,SourceSystem,Title,CreateDate,LastModifiedDate"]
      + ids.map { "\($0),LMS1,Section \($0),\(dates)" }).joined(separator: "\n") + "\n"
  }
}
