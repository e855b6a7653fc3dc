import Foundation
import Messages
import Testing

@testable import ExtractorTree

@Suite struct ApplyOrderKeyTests {
  /// The keyed sort puts files exactly where the pairwise `SettledFile.applyOrder` does: providers
  /// by bytes, then rank, timestamp and path by bytes. "é" written precomposed and decomposed are
  /// equal Strings but two providers by bytes: neither order may interleave their files.
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
    for provider in ["b", "a", "Z", "ä", "\u{E9}", "e\u{301}"] {
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
      // By bytes: the two spellings of "é" are equal Strings.
      #expect(
        keyed.map { Array($0.absolutePath.utf8) }
          == files.sorted(by: SettledFile.applyOrder).map { Array($0.absolutePath.utf8) })
    }
    var sorted = files
    sorted.sortInApplyOrder(of: { $0 })
    #expect(sorted.first?.relativePath == "users/2021-01-01-00-00-00.csv")
    #expect(sorted.first?.provider == ProviderName("Z"))
    #expect(sorted.last?.provider.rawValue.utf8.elementsEqual("\u{E9}".utf8) == true)
    // Each provider's files stay together, in either order.
    for order in [sorted, files.sorted(by: SettledFile.applyOrder)] {
      let providers = order.map { Array($0.provider.rawValue.utf8) }
      #expect(zip(providers, providers.dropFirst()).filter { $0 != $1 }.count == 5)
    }
  }
}
