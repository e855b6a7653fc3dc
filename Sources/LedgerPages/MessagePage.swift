/// Pages that only say something: not found, a bad query, the ledger unreadable.
enum MessagePage {
  static func notFound(_ text: String, shell: PageShell) -> LedgerPage {
    page(status: 404, heading: "Not found", text: text, shell: shell)
  }

  static func badRequest(_ text: String, shell: PageShell) -> LedgerPage {
    page(status: 400, heading: "Bad request", text: text, shell: shell)
  }

  static func unavailable(_ text: String, shell: PageShell) -> LedgerPage {
    page(status: 503, heading: "Ledger unavailable", text: text, shell: shell)
  }

  private static func page(status: Int, heading: String, text: String, shell: PageShell)
    -> LedgerPage
  {
    let body = """
      <section class="card"><p class="problem">\(text.html)</p>\
      <p><a href="\(SiteLinks.overview)">Back to the overview</a></p></section>
      """
    return LedgerPage(
      status: status, body: shell.document(title: heading, heading: heading, body: body))
  }
}
