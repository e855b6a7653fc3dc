import Logging

extension ApplyResult {
  /// What a log line about this file's fate carries, the same under `load` and `work`: where the
  /// file is, its outcome, and its reason (a refusal) or its row counts (loaded).
  var logMetadata: Logger.Metadata {
    var metadata: Logger.Metadata = [
      "provider": "\(entry.provider)", "resource": "\(entry.resource.rawValue)",
      "path": "\(entry.relativePath)", "outcome": "\(entry.outcome.rawValue)",
    ]
    switch entry.outcome {
    case .loaded:
      let counts = entry.counts
      metadata["rows"] = "\(counts.rowsRead)"
      metadata["inserted"] = "\(counts.inserted)"
      metadata["updated"] = "\(counts.updated)"
      metadata["restored"] = "\(counts.restored)"
      metadata["soft_deleted"] = "\(counts.softDeleted)"
      metadata["invalid"] = "\(counts.invalid)"
      metadata["orphans"] = "\(counts.orphans)"
    case .rejected:
      metadata["reason"] = "\(entry.message ?? "")"
    case .superseded, .duplicate, .published:
      if let message = entry.message { metadata["reason"] = "\(message)" }
    }
    return metadata
  }
}
