import Foundation

/// The local side of a pull: where a remote file lands and whether it already has.
struct LandingDirectory {
  let root: String

  enum State {
    /// Same size and modification time as the remote file: nothing to do.
    case current
    /// Absent, or different from the remote file (rewritten there): take it.
    case needed
  }

  func path(of relativePath: String) -> String { root + "/" + relativePath }

  func state(of relativePath: String, size: UInt64, modificationTime: Int64) -> State {
    guard
      let attributes = try? FileManager.default.attributesOfItem(atPath: path(of: relativePath)),
      attributes[.type] as? FileAttributeType == .typeRegular,
      let localSize = (attributes[.size] as? NSNumber)?.uint64Value,
      let modified = attributes[.modificationDate] as? Date
    else { return .needed }
    let seconds = Int64(modified.timeIntervalSince1970.rounded(.down))
    return localSize == size && seconds == modificationTime ? .current : .needed
  }

  /// The name a file is written under until it is complete: hidden, and not a `.csv`, so neither a
  /// scan nor a person takes it for extractor output. One per final name, so a broken run's
  /// leftover is overwritten by the next attempt instead of piling up.
  func temporaryPath(of relativePath: String) -> String {
    let url = URL(fileURLWithPath: path(of: relativePath))
    return url.deletingLastPathComponent().appendingPathComponent(
      "." + url.lastPathComponent + ".lmsds-pull"
    ).path
  }

  /// Writes a file through `fill` under its temporary name; `fill` returns the modification time
  /// to keep, or nil to give the file up (it changed while read). Only a complete, synced file is
  /// renamed into place.
  func land(
    _ relativePath: String, fill: (FileHandle) throws -> Int64?
  ) throws -> Bool {
    let finalPath = path(of: relativePath)
    let directory = URL(fileURLWithPath: finalPath).deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let temporary = temporaryPath(of: relativePath)
    guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
      throw PullError.landing(path: temporary, reason: "cannot create it")
    }
    var complete = false
    // Our own partial copy goes, whatever happened; nothing else is ever removed.
    defer { if !complete { try? FileManager.default.removeItem(atPath: temporary) } }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
    let keptTime: Int64?
    do {
      defer { try? handle.close() }
      keptTime = try fill(handle)
      if keptTime != nil { try handle.synchronize() }
    }
    guard let modificationTime = keptTime else { return false }
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: TimeInterval(modificationTime))],
      ofItemAtPath: temporary)
    // rename(2) replaces a previous copy atomically: a reader sees the old bytes or the new.
    if rename(temporary, finalPath) != 0 {
      throw PullError.landing(path: finalPath, reason: String(cString: strerror(errno)))
    }
    complete = true
    return true
  }
}
