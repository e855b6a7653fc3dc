/// The version `lmsds --version`, the first log line, the migration refusal and the build-info
/// metric report. Raised with every release; the schema a binary carries is named by its newest
/// migration script, which the refusal of a newer database also prints.
enum LMSDSVersion {
  static let current = "0.1.0"
}
