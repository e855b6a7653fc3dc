import Logging
import Messages

extension FileMessage {
  /// What every log line about this file carries, so a collector can follow one file through
  /// produce, work and replay.
  var logMetadata: Logger.Metadata {
    [
      "provider": "\(provider)", "resource": "\(resource.rawValue)", "path": "\(relativePath)",
    ]
  }
}
