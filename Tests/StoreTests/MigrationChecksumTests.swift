import Testing

@testable import Store

@Suite struct MigrationChecksumTests {
  @Test func fnv1aMatchesPublishedVectors() {
    #expect(MigrationChecksum.of("") == "fnv1a64:cbf29ce484222325")
    #expect(MigrationChecksum.of("a") == "fnv1a64:af63dc4c8601ec8c")
    #expect(MigrationChecksum.of("foobar") == "fnv1a64:85944171f73967e8")
  }

  @Test func checksumFitsTheJournalColumn() {
    #expect(MigrationChecksum.of("CREATE TABLE t (x int);").count <= 64)
  }

  @Test func edFiNumberedScriptsAlsoAnswerToTheirUnnumberedName() {
    #expect(
      Migration(name: "0002_create_user_tables", sql: "").journalNames == [
        "0002_create_user_tables", "create_user_tables",
      ])
    #expect(
      Migration(name: "1002_create_file_ledger", sql: "").journalNames == [
        "1002_create_file_ledger"
      ])
    #expect(Migration(name: "nonumber", sql: "").journalNames == ["nonumber"])
  }
}
