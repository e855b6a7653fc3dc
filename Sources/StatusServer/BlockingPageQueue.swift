import Dispatch
import LedgerPages

/// Runs the ledger pages' blocking database work on one thread of its own, never on the server's
/// event loops. One page at a time: an operator's page views are few, and this keeps the site to
/// a single database session however many requests arrive together.
struct BlockingPageQueue: Sendable {
  private let queue = DispatchQueue(label: "lmsds.ledger-pages")

  func page(of site: LedgerSite, path: String, query: [String: String]) async -> LedgerPage {
    await withCheckedContinuation { continuation in
      queue.async { continuation.resume(returning: site.page(path: path, query: query)) }
    }
  }
}
