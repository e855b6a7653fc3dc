/// One numbered SQL script and the names under which a journal may already list it.
public struct Migration: Sendable, Hashable {
  /// The file name without `.sql`, e.g. `0002_create_user_tables`. Scripts run in name order.
  public let name: String
  public let sql: String

  public init(name: String, sql: String) {
    self.name = name
    self.sql = sql
  }

  /// The value written to the journal's Checksum column.
  public var checksum: String { MigrationChecksum.of(sql) }

  /// Every journal name that means "this script has run". Scripts numbered below 1000 carry the Ed-Fi
  /// loader's names, and its 1.0 releases journaled them without the number prefix.
  public var journalNames: [String] {
    guard let legacy = legacyName else { return [name] }
    return [name, legacy]
  }

  /// `create_user_tables` for `0002_create_user_tables`; nil for our own scripts (1000 and up).
  var legacyName: String? {
    let digits = name.prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty, let number = Int(digits), number < 1000 else { return nil }
    let rest = name.dropFirst(digits.count)
    guard rest.first == "_", rest.count > 1 else { return nil }
    return String(rest.dropFirst())
  }
}

extension Migration {
  /// The scripts compiled into this binary for `dialect`, in the order they run.
  public static func embedded(for dialect: SQLDialect) -> [Migration] {
    EmbeddedMigrations.all
      .filter { $0.dialect == dialect }
      .map { Migration(name: $0.name, sql: $0.sql) }
      .sorted { $0.name < $1.name }
  }
}
