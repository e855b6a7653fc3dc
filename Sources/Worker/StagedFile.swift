/// What reading a file into staging found, before the SQL steps.
struct StagedFile {
  /// No header at all (a lone newline, blank lines): an empty snapshot.
  var headerless = false
  var plan: HeaderPlan?
  var rowsRead = 0
  /// Rows found invalid while reading (the SQL steps add duplicate keys and other sections).
  var invalid = 0
  var rounded = 0
  /// The file's one SourceSystem, when any row names one.
  var sourceSystem: String?
  /// The line that first named `sourceSystem`, for messages.
  var sourceSystemLine = 0
  /// The first problems found, with line and column, for the ledger message.
  var problems: [String] = []
  /// (SourceSystemIdentifier, SubmissionType) pairs of valid assignments.
  var submissionTypes: [(String, String)] = []
}
