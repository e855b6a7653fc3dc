import Store

/// The document around every page: the viewport for phones, the one inline style sheet, the site
/// header. No scripts: the pages work as plain HTML.
struct PageShell {
  /// Where the database is, without credentials (`DatabaseLocation.redactedDescription`).
  let databaseDescription: String?

  func document(title: String, heading: String, body: String) -> String {
    var location = ""
    if let databaseDescription {
      location = "<span class=\"where\">\(databaseDescription.html)</span>"
    }
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(title.html) · lmsds ledger</title>
      <style>\(Self.styleSheet)</style>
      </head>
      <body>
      <header class="site"><a href="\(SiteLinks.overview)">lmsds ledger</a>\(location)</header>
      <main>
      <h1>\(heading.html)</h1>
      \(body)
      <footer class="meta">Shown at \(DisplayTime.text(CanonicalTime.now())).</footer>
      </main>
      </body>
      </html>

      """
  }

  // Sized in rem and wrapped with flex/grid so that a 390-pixel phone needs no sideways scrolling;
  // only the counts table may scroll inside its own box.
  static let styleSheet = """
    :root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa}
    *{box-sizing:border-box}
    body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
    a{color:#0969da}
    header.site{background:#25292e;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline}
    header.site a{color:#fff;text-decoration:none;font-weight:600}
    header.site .where{color:#d1d9e0;font-size:.8rem;overflow-wrap:anywhere}
    main{max-width:64rem;margin:0 auto;padding:1rem}
    h1{font-size:1.4rem;margin:.25rem 0 1rem;overflow-wrap:anywhere}
    h2{font-size:1.2rem;margin:0 0 .5rem;overflow-wrap:anywhere}
    h3{font-size:.8rem;margin:1.1rem 0 .4rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
    .card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 1rem}
    .meta{color:var(--muted);font-size:.85rem}
    footer.meta{margin-top:1.5rem}
    ul.counts{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:0;list-style:none}
    ul.counts a{display:block;min-width:6.5rem;padding:.35rem .6rem;border:1px solid var(--line);border-radius:6px;text-decoration:none;color:inherit}
    ul.counts a.current{border-color:#0969da;box-shadow:inset 0 0 0 1px #0969da}
    ul.counts .n{display:block;font-size:1.3rem;font-weight:600;font-variant-numeric:tabular-nums}
    .badge{display:inline-block;min-width:6.2rem;text-align:center;padding:.05rem .45rem;border-radius:999px;font-size:.8rem;font-weight:600;border:1px solid}
    .outcome-loaded{color:#116329;background:#dafbe1;border-color:#4ac26b}
    .outcome-rejected{color:#a40e26;background:#ffebe9;border-color:#ff8182}
    .outcome-superseded{color:#7d4e00;background:#fff8c5;border-color:#d4a72c}
    .outcome-duplicate{color:#59636e;background:#f6f8fa;border-color:#d1d9e0}
    .outcome-published{color:#0550ae;background:#ddf4ff;border-color:#54aeff}
    .badge.flag{min-width:0;color:#8a4600;background:#fff1e5;border-color:#fb8f44}
    p.stale{margin:.5rem 0;font-weight:600;color:#8a4600}
    .lastrun{border-left:3px solid #0969da;padding-left:.75rem}
    ul.runcounts{display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:0;margin:.25rem 0 .5rem;list-style:none}
    ul.runcounts .n{font-weight:600;margin-left:.3rem;font-variant-numeric:tabular-nums}
    p.hint{flex-basis:100%;margin:.25rem 0 0;font-size:.85rem}
    ul.files{list-style:none;padding:0;margin:0}
    ul.files li{display:flex;flex-wrap:wrap;align-items:baseline;gap:.2rem .75rem;border-top:1px solid var(--line);padding:.5rem 0}
    ul.files li .path{flex:1 1 16rem;min-width:0}
    ul.files li .message{flex-basis:100%}
    .path{overflow-wrap:anywhere;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
    pre.message{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0 0;padding:.4rem .6rem;font-size:.85rem;background:#f6f8fa;border-left:3px solid var(--line)}
    pre.message.rejected{background:#fff5f5;border-color:#ff8182}
    pre.message.superseded{background:#fffbe6;border-color:#d4a72c}
    .scroll{overflow-x:auto}
    table{border-collapse:collapse;width:100%}
    th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:baseline}
    table.rowcounts{width:auto;min-width:min(100%,18rem)}
    th{font-size:.8rem;color:var(--muted);font-weight:600}
    .num{text-align:right;font-variant-numeric:tabular-nums}
    dl.fields{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.3rem 1rem;margin:0}
    dl.fields dt{color:var(--muted)}
    dl.fields dd{margin:0;overflow-wrap:anywhere}
    nav.pages{margin-top:.75rem}
    @media (max-width:40rem){
    main{padding:.6rem}
    .card{padding:.75rem}
    dl.fields{grid-template-columns:minmax(0,1fr);gap:0}
    dl.fields dt{font-size:.8rem;margin-top:.5rem}
    ul.counts a{min-width:5.5rem}
    }
    """
}
