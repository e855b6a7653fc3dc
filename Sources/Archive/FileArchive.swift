import ExtractorTree
import Foundation
import Messages

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A content-addressed copy of every file a run publishes or applies, under
/// `<directory>/<provider>/<first two hex digits>/<sha256>`, so that a message or a ledger row
/// can still be applied after the extractor rewrote or rotated its root.
///
/// Addressed by digest alone (not by relative path): the bytes are what a worker needs, the
/// message carries the rest, and a file copied to several paths is kept once. A name only ever
/// appears by a rename of a synced copy whose digest was checked while it was written, so a
/// file under its final name holds exactly those bytes.
public struct FileArchive: Sendable, Hashable {
  public let directory: String

  public init(directory: String) {
    self.directory =
      directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
  }

  public enum Stored: Sendable, Hashable {
    /// The archived copy (written now, or already there), to read instead of the root.
    case archived(path: String)
    /// The file no longer holds the bytes it was hashed with; nothing was stored.
    case changed(String)
  }

  /// Where `identity`'s bytes live, or nil when the provider could not name a directory (it comes
  /// from the network on a worker: never trusted as a path component; a digest is always 64
  /// hexadecimal digits).
  public func path(for identity: FileIdentity) -> String? {
    guard identity.provider.namesOneDirectory else { return nil }
    let provider = identity.provider.rawValue
    let sha = identity.sha256.hex
    return "\(directory)/\(provider)/\(sha.prefix(2))/\(sha)"
  }

  /// The archived copy of `identity` when the archive holds one of `size` bytes.
  public func held(_ identity: FileIdentity, size: Int64) -> String? {
    guard let path = path(for: identity) else { return nil }
    var status = stat()
    guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
      Int64(status.st_size) == size
    else { return nil }
    return path
  }

  /// Copies the file at `path` into the archive unless it is there already. The copy is hashed
  /// as it is written and kept only when it matches `identity` and `size`; it is synced before
  /// the rename and the directory after it, so a caller may publish or commit once this returns.
  public func store(path source: String, identity: FileIdentity, size: Int64) throws -> Stored {
    guard let target = self.path(for: identity) else {
      throw ArchiveError(
        path: source, operation: "archive (not a provider name or SHA-256)", code: EINVAL)
    }
    // A copy found is dated now: prune goes by that date, and this run is about to publish or
    // commit a row that needs it. Gone meanwhile (pruned): copied again below.
    if let existing = held(identity, size: size), utimensat(AT_FDCWD, existing, nil, 0) == 0 {
      return .archived(path: existing)
    }
    let folder = (target as NSString).deletingLastPathComponent
    try makeDirectories(folder)

    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else {
      if errno == ENOENT { return .changed("\(source) is gone") }
      throw ArchiveError(path: source, operation: "open", code: errno)
    }
    defer { close(input) }
    // Hidden and unique per process, so a crash leaves only a stray dot-file that `prune` removes.
    let temporary =
      "\(folder)/.\(identity.sha256).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
    guard output >= 0 else { throw ArchiveError(path: temporary, operation: "create", code: errno) }
    var keep = false
    defer {
      close(output)
      if !keep { unlink(temporary) }
    }

    let digest: SHA256Digest
    let total: Int64
    do {
      (digest, total) = try FileHasher.sha256(reading: input, path: source) { chunk in
        try writeAll(chunk, to: output, path: temporary)
      }
    } catch let error as FileHashError {
      throw ArchiveError(path: error.path, operation: error.operation, code: error.code)
    }
    guard digest == identity.sha256, total == size else {
      return .changed(
        "\(source) changed after it was hashed: \(total) bytes with SHA-256 \(digest), expected \(size) bytes with SHA-256 \(identity.sha256)"
      )
    }
    guard fsync(output) == 0 else {
      throw ArchiveError(path: temporary, operation: "sync", code: errno)
    }
    guard rename(temporary, target) == 0 else {
      throw ArchiveError(path: target, operation: "rename into", code: errno)
    }
    keep = true
    try syncDirectory(folder)
    return .archived(path: target)
  }

  /// Every archived file (stray temporary files included, so that prune can clear them).
  public func list() throws -> [ArchivedFile] {
    let manager = FileManager.default
    var files: [ArchivedFile] = []
    guard manager.fileExists(atPath: directory) else { return [] }
    for provider in try manager.contentsOfDirectory(atPath: directory).sorted() {
      let providerPath = "\(directory)/\(provider)"
      guard let fans = try? manager.contentsOfDirectory(atPath: providerPath) else { continue }
      for fan in fans.sorted() {
        let fanPath = "\(providerPath)/\(fan)"
        guard let names = try? manager.contentsOfDirectory(atPath: fanPath) else { continue }
        for name in names.sorted() {
          let path = "\(fanPath)/\(name)"
          var status = stat()
          guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
          let modified = Date(
            timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec)
              / 1e9)
          files.append(
            ArchivedFile(
              provider: ProviderName(provider), sha256: SHA256Digest(hex: name),
              path: path,
              size: Int64(status.st_size), storedAt: modified))
        }
      }
    }
    return files
  }

  /// Removes `files` that are still dated before `cutoff` (a run may have stored one again
  /// since they were listed); returns how many went and the bytes freed.
  public func remove(_ files: [ArchivedFile], storedBefore cutoff: Date) throws -> (
    count: Int, bytes: Int64
  ) {
    var freed: Int64 = 0
    var count = 0
    for file in files {
      guard file.path.hasPrefix(directory + "/") else { continue }
      var status = stat()
      guard lstat(file.path, &status) == 0,
        Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
          < cutoff.timeIntervalSince1970
      else { continue }
      if unlink(file.path) != 0 && errno != ENOENT {
        throw ArchiveError(path: file.path, operation: "remove", code: errno)
      }
      freed += file.size
      count += 1
    }
    return (count, freed)
  }

  private func makeDirectories(_ folder: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      return
    }
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw ArchiveError(path: folder, operation: "create directory", code: EIO, detail: "\(error)")
    }
    // The new directories' entries must survive a crash as well as the file's.
    let parent = (folder as NSString).deletingLastPathComponent
    try syncDirectory(parent)
    try syncDirectory((parent as NSString).deletingLastPathComponent)
  }

  private func writeAll(_ chunk: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws
  {
    var offset = 0
    while offset < chunk.count {
      let written = write(descriptor, chunk.baseAddress! + offset, chunk.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        throw ArchiveError(path: path, operation: "write", code: errno)
      }
      offset += written
    }
  }

  private func syncDirectory(_ folder: String) throws {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw ArchiveError(path: folder, operation: "open", code: errno) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else {
      throw ArchiveError(path: folder, operation: "sync", code: errno)
    }
  }
}

/// One file under the archive's directory.
public struct ArchivedFile: Sendable, Hashable {
  public var provider: ProviderName
  /// Nil for a name that is not a digest (a temporary file a crash left behind).
  public var sha256: SHA256Digest?
  public var path: String
  public var size: Int64
  /// When it was stored (its modification time: a stored file is never written again).
  public var storedAt: Date

  public init(
    provider: ProviderName, sha256: SHA256Digest?, path: String, size: Int64, storedAt: Date
  ) {
    self.provider = provider
    self.sha256 = sha256
    self.path = path
    self.size = size
    self.storedAt = storedAt
  }
}

public struct ArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
  public let path: String
  public let operation: String
  public let code: Int32
  public var detail: String? = nil

  public var description: String {
    "archive: cannot \(operation) \(path): \(detail ?? String(cString: strerror(code)))"
  }
}
