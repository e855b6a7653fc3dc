import ExtractorTree
import Logging
import Messages
import Store
import Worker

/// Runs `lmsds load`'s pipeline on roots of a tree.
func load(
  _ database: TestDatabase, _ roots: [SourceRoot], options: ApplyOptions = ApplyOptions(),
  filesPerTransaction: Int = 500
) throws -> LoadSummary {
  var logger = Logger(label: "test")
  logger.logLevel = .critical
  var options = options
  options.setBased = database.kind.setBased
  return try EmbeddedLoad(
    connection: database.connection, logger: logger, options: options, settleSeconds: 0,
    filesPerTransaction: filesPerTransaction
  ).run(roots)
}

/// A database of `kind` where P1's users u1…u30 (`Stamp.t0`) are loaded: enough live rows for
/// the mass-delete guard to weigh a later users file.
func thirtyUsersLoaded(_ kind: TestDatabase.Kind) throws -> (
  database: TestDatabase, tree: TreeBuilder, users: [String]
) {
  let database = try TestDatabase(kind)
  let tree = try TreeBuilder()
  let thirty = (1...30).map { "u\($0)" }
  try tree.write("P1", "users/\(Stamp.t0)", CSVFile.users(thirty))
  _ = try load(database, provider: "P1", in: tree)
  return (database, tree, thirty)
}

func load(
  _ database: TestDatabase, provider: String, in tree: TreeBuilder,
  options: ApplyOptions = ApplyOptions()
) throws -> LoadSummary {
  try load(
    database, [SourceRoot(provider: ProviderName(provider), path: tree.provider(provider))],
    options: options)
}

func ledger(_ database: TestDatabase, provider: String? = nil) throws -> [LedgerEntry] {
  try Ledger(connection: database.connection).entries(provider: provider.map { ProviderName($0) })
}
