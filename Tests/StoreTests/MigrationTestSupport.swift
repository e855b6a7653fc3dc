import Foundation
import Testing
import UDM

@testable import Store

/// Helpers shared by the migration tests.
enum MigrationTestSupport {
  /// A path for a new SQLite database; `removeDatabase` deletes it with its WAL files.
  static func temporaryDatabasePath() -> String {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("lmsds-migration-\(UUID().uuidString).sqlite").path
  }

  static func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: path + suffix)
    }
  }

  /// Runs `body` on a thread of its own. Blocking database calls (SQLite's busy wait, a PostgreSQL
  /// lock wait) must not occupy the few threads of the cooperative pool.
  static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread { continuation.resume(with: Result { try body() }) }.start()
    }
  }

  /// The embedded scripts of `dialect` that carry the Ed-Fi loader's names.
  static func edFiScripts(_ dialect: SQLDialect) -> [Migration] {
    Migration.embedded(for: dialect).filter { $0.name < "1000" }
  }

  /// A column a table must have for a ResourceSpec column or parent, and whether it is NOT NULL.
  struct ExpectedColumn: Sendable, Hashable, CustomStringConvertible {
    let table: String
    let column: String
    let type: ColumnType
    let notNull: Bool
    var description: String { "\(table).\(column)" }
  }

  /// Every column the loader writes, from ResourceSpec: identities, data columns and parents.
  static func resourceSpecColumns() -> [ExpectedColumn] {
    ResourceSpec.all.flatMap { spec in
      [
        ExpectedColumn(
          table: spec.table, column: spec.identityColumn, type: .integer, notNull: true)
      ]
        + spec.columns.map {
          ExpectedColumn(table: spec.table, column: $0.name, type: $0.type, notNull: $0.required)
        }
        + spec.parents.map {
          ExpectedColumn(table: spec.table, column: $0.column, type: .integer, notNull: $0.required)
        }
        + [ExpectedColumn(table: spec.table, column: "DeletedAt", type: .timestamp, notNull: false)]
    }
      + [
        ExpectedColumn(
          table: "AssignmentSubmissionType", column: "AssignmentIdentifier", type: .integer,
          notNull: true),
        ExpectedColumn(
          table: "AssignmentSubmissionType", column: ResourceSpec.submissionTypeColumn,
          type: .text(maxLength: ResourceSpec.submissionTypeMaxLength), notNull: true),
        ExpectedColumn(
          table: "AssignmentSubmissionType", column: "CreateDate", type: .timestamp, notNull: true),
        ExpectedColumn(
          table: "AssignmentSubmissionType", column: "DeletedAt", type: .timestamp, notNull: false),
      ]
  }
}
