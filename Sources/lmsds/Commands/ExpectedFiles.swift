import ExtractorTree
import Store

/// How many files a load expects to apply, for the progress line's total and time left: the
/// LMS-UDM files of its roots at paths the ledger has never seen. An estimate (a file rewritten in
/// place is not counted), but extractor files are named by their snapshot time, so new paths are
/// new files.
enum ExpectedFiles {
  static func count(_ surveys: [RootSurvey], ledger: Ledger) throws -> Int {
    try surveys.reduce(0) { total, survey in
      let known = try ledger.knownFiles(provider: survey.root.provider)
      return total + survey.recognizedPaths.filter { known[$0] == nil }.count
    }
  }
}
