import Foundation
import LMSDSTestSupport

/// Writes files as an extractor would, with chosen modification times.
enum RemoteTree {
  /// The sample files whose relative path passes `include`, copied under `root`; `BestLMS` in
  /// their contents becomes `sourceSystem` so two providers do not claim the same rows.
  static func copySample(
    to root: String, sourceSystem: String = "BestLMS", age: TimeInterval = 3600,
    include: (String) -> Bool = { _ in true }
  ) throws -> [String] {
    let files = try sampleFiles().filter(include)
    for relative in files {
      let text = try String(contentsOfFile: sampleRoot + "/" + relative, encoding: .utf8)
      try write(
        text.replacingOccurrences(of: "BestLMS", with: sourceSystem), to: root + "/" + relative,
        age: age)
    }
    return files
  }

  static func sampleFiles() throws -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: sampleRoot)
    var found: [String] = []
    while let relative = enumerator?.nextObject() as? String {
      if relative.hasSuffix(".csv") { found.append(relative) }
    }
    return found.sorted()
  }

  /// Writes `text` at `path`, modified `age` seconds ago.
  static func write(_ text: String, to path: String, age: TimeInterval) throws {
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try setAge(path, age)
  }

  static func setAge(_ path: String, _ age: TimeInterval) throws {
    // Whole seconds: SFTP carries no fraction, and the landed copy keeps the server's time.
    let time = (Date().timeIntervalSince1970 - age).rounded(.down)
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: time)], ofItemAtPath: path)
  }

  static func modificationTime(_ path: String) throws -> Int64 {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return Int64((attributes[.modificationDate] as! Date).timeIntervalSince1970.rounded(.down))
  }
}
