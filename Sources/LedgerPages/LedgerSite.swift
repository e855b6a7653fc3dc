import Store

/// The ledger pages (issue 5): server-side HTML over the FileLedger and ScopeWatermark tables,
/// with no HTTP in it. `page(path:query:)` blocks on the database: call it off any event loop.
///
/// - `/` — per provider: the last producer scan, staleness, the last run's files, all-time rows
///   per outcome, the newest snapshot applied per resource, the latest rejections with their
///   messages and what to do, the latest files;
/// - `/providers/<name>` — that provider's files, newest first; `?outcome=` filters,
///   `?before=<id>` pages;
/// - `/files/<id>` — one ledger row with every count, its message and the other arrivals at its
///   path.
public struct LedgerSite: Sendable {
  private let slot: ConnectionSlot
  private let shell: PageShell
  private let staleness: Staleness

  /// - Parameters:
  ///   - databaseDescription: shown in the page header; pass a redacted location
  ///     (`DatabaseLocation.redactedDescription`), never a URL with a password.
  ///   - staleness: when the overview flags a provider or resource as stale.
  ///   - connect: opens a session; called again after a session failed.
  public init(
    databaseDescription: String? = nil, staleness: Staleness = Staleness(),
    connect: @escaping @Sendable () throws -> any SQLConnection
  ) {
    self.staleness = staleness
    self.slot = ConnectionSlot(connect: connect)
    self.shell = PageShell(databaseDescription: databaseDescription)
  }

  /// - Parameters:
  ///   - path: the request path as sent (percent-encoded), without the query.
  ///   - query: the query's items, already decoded.
  public func page(path: String, query: [String: String]) -> LedgerPage {
    let route = SiteRoute(path: path)
    if route == .unknown {
      return MessagePage.notFound("There is no page at this address.", shell: shell)
    }
    let connection: any SQLConnection
    do {
      connection = try slot.take()
    } catch {
      return MessagePage.unavailable("Cannot open the database: \(error)", shell: shell)
    }
    let reader = LedgerReader(connection: connection)
    do {
      let page = try render(route, query: query, reader: reader)
      slot.giveBack(connection)
      return page
    } catch {
      guard reader.ledgerTableExists() else {
        slot.giveBack(connection)
        return MessagePage.unavailable(Self.missingLedgerText, shell: shell)
      }
      return MessagePage.unavailable("Cannot read the ledger: \(error)", shell: shell)
    }
  }

  /// What the pages and `lmsds serve` say when the database has no ledger yet.
  public static let missingLedgerText =
    "This database has no ledger tables yet: no lmsds run has migrated it. "
    + "Run lmsds migrate, lmsds load or lmsds work against it first."

  /// Whether the database behind `connection` has the ledger tables.
  public static func hasLedger(_ connection: any SQLConnection) -> Bool {
    LedgerReader(connection: connection).ledgerTableExists()
  }

  private func render(_ route: SiteRoute, query: [String: String], reader: LedgerReader) throws
    -> LedgerPage
  {
    switch route {
    case .overview:
      return try OverviewPage(reader: reader, shell: shell, staleness: staleness).render()
    case .provider(let provider):
      return try ProviderPage(reader: reader, shell: shell).render(provider, query: query)
    case .file(let id):
      return try FilePage(reader: reader, shell: shell).render(id: id)
    case .unknown:
      return MessagePage.notFound("There is no page at this address.", shell: shell)
    }
  }
}
