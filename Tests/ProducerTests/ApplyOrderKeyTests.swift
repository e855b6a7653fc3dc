import Foundation
import Messages
import Testing

@testable import ExtractorTree

@Suite struct ApplyOrderKeyTests {
  /// The keyed sort puts files exactly where the pairwise `SettledFile.applyOrder` does: providers
  /// by bytes, then rank, timestamp and path by bytes (an accented id sorts after every ASCII one,
  /// which a Unicode-aware comparison would not do).
  @Test func keyedSortAgreesWithTheComparator() throws {
    let paths = [
      "users/2021-01-02-00-00-00.csv", "users/2021-01-01-00-00-00.csv",
      "sections/2021-01-01-00-00-00.csv", "section=é/assignments/2021-01-01-00-00-00.csv",
      "section=z/assignments/2021-01-01-00-00-00.csv",
      "section=e/assignments/2021-01-01-00-00-00.csv",
      "section=E/assignments/2021-01-01-00-00-00.csv",
      "section=a/assignment=x/submissions/2021-01-01-00-00-00.csv",
      "section=a/section-associations/2021-01-03-00-00-00.csv",
      "system-activities/date=2021-01-01/2021-01-01-00-00-00.csv",
    ]
    var files: [SettledFile] = []
    for provider in ["b", "a", "Z", "ä"] {
      for path in paths {
        files.append(
          SettledFile(
            provider: ProviderName(provider), rootPath: "/r/\(provider)", relativePath: path,
            location: try #require(ResourceLocation(relativePath: path)), size: 1,
            modifiedTime: Date(timeIntervalSince1970: 0), absolutePath: "/r/\(provider)/\(path)"))
      }
    }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<5 {
      var keyed = files.shuffled(using: &generator)
      keyed.sortInApplyOrder(of: { $0 })
      #expect(keyed == files.sorted(by: SettledFile.applyOrder))
    }
    var sorted = files
    sorted.sortInApplyOrder(of: { $0 })
    #expect(sorted.first?.relativePath == "users/2021-01-01-00-00-00.csv")
    #expect(sorted.first?.provider == ProviderName("Z"))
    #expect(sorted.last?.provider == ProviderName("ä"))
  }
}
