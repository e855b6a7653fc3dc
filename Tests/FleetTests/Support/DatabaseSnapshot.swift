import Foundation
import LMSDSTestSupport
import Store

/// Every LMS table of a PostgreSQL database as comparable text: every column, with `DeletedAt`
/// reduced to deleted or not (its time differs per run) and each generated identifier replaced by
/// the natural key of the row it names (identifiers depend on the order providers interleave).
struct DatabaseSnapshot: Equatable {
  static let tables = [
    ("LMSUser", "LMSUserIdentifier"), ("LMSSection", "LMSSectionIdentifier"),
    ("Assignment", "AssignmentIdentifier"), ("AssignmentSubmissionType", nil),
    ("LMSUserLMSSectionAssociation", "LMSUserLMSSectionAssociationIdentifier"),
    ("AssignmentSubmission", "AssignmentSubmissionIdentifier"),
    ("LMSSectionActivity", "LMSSectionActivityIdentifier"),
    ("LMSSystemActivity", "LMSSystemActivityIdentifier"),
    ("LMSUserAttendanceEvent", "LMSUserAttendanceEventIdentifier"),
    ("LMSGrade", "LMSGradeIdentifier"),
  ]

  /// Table → sorted rows, each `column=value` joined.
  var tables: [String: [String]] = [:]

  init(url: String) throws {
    let connection = try DatabaseConnector.open(try DatabaseLocation(url: url))
    var rowsByTable: [String: (columns: [String], rows: [[String?]])] = [:]
    var naturalKeys: [String: [String: String]] = [:]  // identifier column → id → natural key
    for (table, identifier) in Self.tables {
      let columns = try connection.query(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'lms' AND table_name = lower($1) ORDER BY ordinal_position",
        [.text(table)]
      ).compactMap { $0.text(0) }
      let rows = try connection.query("SELECT \(columns.joined(separator: ", ")) FROM lms.\(table)")
        .map {
          $0.values.map(\.text)
        }
      rowsByTable[table] = (columns, rows)
      if let identifier,
        let idIndex = columns.firstIndex(where: {
          $0.caseInsensitiveCompare(identifier) == .orderedSame
        }),
        let keyIndex = columns.firstIndex(where: { $0.lowercased() == "sourcesystemidentifier" }),
        let systemIndex = columns.firstIndex(where: { $0.lowercased() == "sourcesystem" })
      {
        var map: [String: String] = [:]
        for row in rows {
          map[row[idIndex] ?? ""] = "\(row[systemIndex] ?? "")/\(row[keyIndex] ?? "")"
        }
        naturalKeys[identifier.lowercased()] = map
      }
    }
    for (table, _) in Self.tables {
      let (columns, rows) = rowsByTable[table]!
      tables[table] = rows.map { row in
        zip(columns, row).map { column, value -> String in
          let name = column.lowercased()
          if name == "deletedat" { return "deleted=\(value != nil)" }
          // The loader stamps a submission type's CreateDate with the time it wrote it.
          if name == "createdate", table == "AssignmentSubmissionType" { return "createdate=(set)" }
          if let map = naturalKeys[name] {
            return "\(name)=\(value.map { map[$0] ?? "?\($0)" } ?? "NULL")"
          }
          return "\(name)=\(value ?? "NULL")"
        }.joined(separator: "|")
      }.sorted()
    }
  }

  /// The first difference, for a readable failure.
  func difference(from other: DatabaseSnapshot) -> String? {
    for (table, _) in Self.tables where tables[table] != other.tables[table] {
      let mine = Set(tables[table] ?? [])
      let theirs = Set(other.tables[table] ?? [])
      return
        "\(table): only here \(mine.subtracting(theirs).sorted().prefix(3)); only there \(theirs.subtracting(mine).sorted().prefix(3))"
    }
    return nil
  }
}

/// The fleet database's ledger, read the way a test checks it.
struct LedgerView {
  let entries: [LedgerEntry]

  init(url: String) throws {
    let connection = try DatabaseConnector.open(try DatabaseLocation(url: url))
    entries = try Ledger(connection: connection).entries()
  }

  /// A count the test asks the fleet database for.
  static func count(url: String, sql: String) throws -> Int {
    let connection = try DatabaseConnector.open(try DatabaseLocation(url: url))
    guard let value = try connection.scalar(sql)?.int else {
      throw TestFailure("not a count: \(sql)")
    }
    return Int(value)
  }

  /// Distinct files that reached a final outcome.
  var settledFiles: Int {
    Set(
      entries.filter { $0.outcome != .published }.map {
        "\($0.provider)/\($0.relativePath)/\($0.sha256)"
      }
    ).count
  }

  /// Identities loaded more than once (never allowed without a forced replay).
  var loadedTwice: [String] {
    var counts: [String: Int] = [:]
    for entry in entries where entry.outcome == .loaded {
      counts["\(entry.provider)/\(entry.relativePath)", default: 0] += 1
    }
    return counts.filter { $0.value > 1 }.map(\.key).sorted()
  }
}
