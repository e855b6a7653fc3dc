import Foundation
import Logging

/// Writes each event as one line on standard error, readable text or JSON.
///
/// Metadata carries the file a line is about (provider, resource, path), so a collector can filter
/// on it; values are never credentials — those stay out of metadata by construction.
struct LineLogHandler: LogHandler {
  let label: String
  let format: LogFormat
  var logLevel: Logger.Level
  var metadata: Logger.Metadata = [:]

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    var merged = metadata
    if let extra = event.metadata { merged.merge(extra) { $1 } }
    let time = LogTimestamp.text(Date())
    let line: String
    switch format {
    case .text:
      let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      line =
        "\(time) \(event.level.rawValue.uppercased()) \(event.message)"
        + (fields.isEmpty ? "" : " " + fields.joined(separator: " "))
    case .json:
      var object: [String: String] = [
        "time": time, "level": event.level.rawValue, "message": "\(event.message)", "logger": label,
      ]
      for (key, value) in merged { object[key] = "\(value)" }
      line = JSONLine.object(object)
    }
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
