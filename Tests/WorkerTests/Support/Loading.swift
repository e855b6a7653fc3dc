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
