import Store

/// The ledger as a plain table for a terminal.
enum LedgerTable {
  static func render(_ entries: [LedgerEntry]) -> String {
    let header = [
      "finished", "provider", "outcome", "path", "read", "ins", "upd", "rest", "del", "orph", "inv",
    ]
    var rows = [header]
    for entry in entries {
      let c = entry.counts
      rows.append([
        String((entry.finishedAt ?? entry.startedAt).prefix(19)), entry.provider.rawValue,
        entry.outcome.rawValue, entry.relativePath, String(c.rowsRead), String(c.inserted),
        String(c.updated), String(c.restored), String(c.softDeleted), String(c.orphans),
        String(c.invalid),
      ])
    }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    var lines = rows.map { row in
      row.enumerated().map { index, cell in
        index >= 4
          ? String(repeating: " ", count: widths[index] - cell.count) + cell
          : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
    for entry in entries where entry.outcome == .rejected || entry.message != nil {
      if entry.outcome == .rejected {
        lines.append("rejected \(entry.provider)/\(entry.relativePath): \(entry.message ?? "")")
      }
    }
    return lines.joined(separator: "\n")
  }
}
