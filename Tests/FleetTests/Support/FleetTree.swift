import ExtractorTree
import Foundation
import LMSDSTestSupport
import Messages

/// Extractor roots for several providers, grown day by day the way an extractor writes them.
///
/// Each provider is the bundled sample (samples/BestLMS) with its own `SourceSystem`, since a
/// `SourceSystem` belongs to one provider. A "day" is the set of files whose name carries that date.
final class FleetTree {
  let root: String
  let providers: [String]
  /// Relative paths of the sample, grouped by the date in their names, oldest first.
  let days: [[String]]
  private var seen: Set<FileIdentity> = []

  init(providers: [String]) throws {
    root =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "lmsds-fleet-tree-\(UUID().uuidString.prefix(8))"
      ).path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    self.providers = providers
    var byDay: [String: [String]] = [:]
    let enumerator = FileManager.default.enumerator(atPath: sampleRoot)!
    while let path = enumerator.nextObject() as? String {
      guard path.hasSuffix(".csv") else { continue }
      let name = (path as NSString).lastPathComponent
      byDay[String(name.prefix(10)), default: []].append(path)
    }
    days = byDay.keys.sorted().map { byDay[$0]!.sorted() }
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  func path(_ provider: String) -> String { "\(root)/\(provider)" }

  /// The SourceSystem a provider's files carry.
  static func sourceSystem(_ provider: String) -> String { "LMS-\(provider)" }

  /// Writes day `index`'s files for every provider.
  func addDay(_ index: Int) throws {
    for provider in providers {
      for relative in days[index] { try copy(relative, for: provider) }
    }
  }

  /// Writes one sample file for a provider, under its own name or another.
  func copy(_ relative: String, for provider: String, as target: String? = nil) throws {
    let text = try String(contentsOfFile: "\(sampleRoot)/\(relative)", encoding: .utf8)
    try write(
      provider, target ?? relative,
      text.replacingOccurrences(of: "BestLMS", with: Self.sourceSystem(provider)))
  }

  func write(_ provider: String, _ relative: String, _ text: String) throws {
    let url = URL(fileURLWithPath: "\(path(provider))/\(relative)")
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    // Dated an hour ago so no settle window holds it back.
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: url.path)
  }

  var roots: [SourceRoot] {
    providers.map { SourceRoot(provider: ProviderName($0), path: path($0)) }
  }

  /// The files a producer run would publish now: those not offered before, in the scanner's order.
  func newFiles() throws -> [ScannedFile] {
    let scan = try SourceScanner(settleSeconds: 0).scan(roots)
    let fresh = scan.files.filter { !seen.contains($0.identity) }
    for file in fresh { seen.insert(file.identity) }
    return fresh
  }
}
