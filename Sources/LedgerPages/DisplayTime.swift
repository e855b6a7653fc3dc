import Store

/// Ledger times (UTC, without a zone) as the pages show them: to the second, marked UTC.
enum DisplayTime {
  static func text(_ stored: String?) -> String {
    guard let stored else { return "—" }
    guard let canonical = LedgerTimeText.canonical(stored) else { return stored }
    return String(canonical.prefix(19)) + " UTC"
  }
}
