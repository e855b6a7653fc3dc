import Foundation
import Testing

@testable import Store

/// The SQL Server scripts: embedded as on disk, named as the Ed-Fi loader named its twelve, GO-free.
@Suite struct SQLServerEmbeddingTests {
  @Test func embeddedScriptsEqualTheFiles() throws {
    let onDisk = try MigrationEmbeddingTests.filesOnDisk(.sqlserver)
    let embedded = Migration.embedded(for: .sqlserver)
    #expect(Set(embedded.map(\.name)) == Set(onDisk.keys), "run scripts/embed-migrations.py")
    for migration in embedded {
      #expect(migration.sql == onDisk[migration.name], "\(migration.name) differs from its file")
    }
  }

  @Test func namesAreTheEdFiLoadersThenOurs() {
    #expect(
      Migration.embedded(for: .sqlserver).map(\.name) == [
        "0001_initialize_lms_database", "0002_create_processed_files_table",
        "0003_create_user_tables", "0004_create_section_tables", "0005_create_assignment_tables",
        "0006_create_section_association_tables", "0007_create_assignment_submission_tables",
        "0008_create_section_activity_tables", "0009_create_system_activity_tables",
        "0010_create_attendance_tables", "0011_remove_startdate_enddate_from_sectionassociation",
        "0012_add_mapping_columns_for_edfi_student_and_section", "1001_create_grade_table",
        "1002_create_file_ledger", "1003_create_scope_watermark", "1004_create_source_system_owner",
        "1005_add_parent_indexes", "1006_add_ledger_mismatched", "1007_add_ledger_dead_letter",
      ])
  }

  /// The runner sends each script as one batch: a GO line would be a syntax error there.
  @Test func scriptsHaveNoBatchSeparators() {
    for migration in Migration.embedded(for: .sqlserver) {
      #expect(
        migration.sql.range(of: #"(?im)^\s*GO\s*$"#, options: .regularExpression) == nil,
        "\(migration.name)")
    }
  }

  /// Every ResourceSpec column exists in the SQL Server scripts with a matching type.
  @Test(arguments: MigrationTestSupport.resourceSpecColumns())
  func resourceSpecColumnIsCreated(column: MigrationTestSupport.ExpectedColumn) throws {
    let all = Migration.embedded(for: .sqlserver).map(\.sql).joined(separator: "\n")
    let type: String
    switch column.type {
    case .text(let length): type = "nvarchar\\(\(length)\\)"
    case .timestamp: type = "datetime2"
    case .date: type = "date"
    case .integer: type = "int"
    }
    let null = column.notNull ? "NOT NULL" : "NULL"
    let table = #"CREATE TABLE lms\."# + column.table + #" \((?:(?!\n\);).)*?\n\s+"#
    let pattern = "(?s)" + table + column.column + #"\s+"# + type + #"\s+"# + null + #"[\s,]"#
    #expect(all.range(of: pattern, options: .regularExpression) != nil, "\(column)")
  }
}
