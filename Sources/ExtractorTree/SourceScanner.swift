import Foundation
import Messages

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds the files of each source root that are ready to load (load-semantics §2) and puts them
/// in apply order (§3).
public struct SourceScanner: Sendable {
  /// A file modified more recently than this may still be being written.
  public var settleSeconds: TimeInterval

  public init(settleSeconds: TimeInterval = 30) {
    self.settleSeconds = settleSeconds
  }

  /// Returns the SHA-256 the ledger holds for (provider, relative path, size, modification time),
  /// or nil when the file must be hashed.
  public typealias KnownHash = (ProviderName, String, Int64, Date) throws -> SHA256Digest?

  /// Where a settled file's SHA-256 comes from.
  public enum DigestSource: Sendable, Hashable {
    /// The ledger's, for a file it saw with this size and modification time.
    case known(SHA256Digest)
    /// The scan hashes the file.
    case hash
    /// The one read that loads the file hashes it (`lmsds load`, for a path the ledger has never
    /// seen: no digest could make it a duplicate): the scan lists it in `leftToReader`.
    case reader
  }

  /// Chooses the `DigestSource` of (provider, relative path, size, modification time).
  public typealias DigestChoice = (ProviderName, String, Int64, Date) throws -> DigestSource

  public func scan(
    _ sources: [SourceRoot], now: Date = Date(), knownSHA256: KnownHash? = nil
  ) throws -> ScanResult {
    try scan(sources.map(RootWalk.init), now: now, knownSHA256: knownSHA256)
  }

  /// Scans roots already walked: their listing is read again only to hash the files.
  public func scan(
    _ walks: [RootWalk], now: Date = Date(), knownSHA256: KnownHash? = nil
  ) throws -> ScanResult {
    try scan(walks, now: now) { provider, path, size, modified in
      try knownSHA256?(provider, path, size, modified).map(DigestSource.known) ?? .hash
    }
  }

  /// Scans roots already walked, taking each file's digest where `digests` says.
  public func scan(
    _ walks: [RootWalk], now: Date = Date(), digests: DigestChoice
  ) throws -> ScanResult {
    var result = ScanResult()
    // Settled files to hash, hashed together once every root is listed (the files' order is
    // the apply order's, sorted below).
    var toHash: [(settled: SettledFile, status: FileSystem.Status)] = []
    for walk in walks {
      let source = walk.root
      let found = walk.discovery
      result.unrecognized += found.unrecognized
      result.linksOutside += found.linksOutside
      result.unreadable += found.unreadable
      for candidate in found.candidates {
        if now.timeIntervalSince(candidate.status.modifiedTime) < settleSeconds {
          result.unsettled.append(candidate.absolutePath)
          continue
        }
        let settled = SettledFile(
          provider: source.provider, rootPath: source.path,
          relativePath: candidate.relativePath, location: candidate.location,
          size: candidate.status.size, modifiedTime: candidate.status.modifiedTime,
          absolutePath: candidate.absolutePath)
        switch try digests(
          source.provider, candidate.relativePath, candidate.status.size,
          candidate.status.modifiedTime)
        {
        case .known(let known):
          result.files.append(ScannedFile(settled, sha256: known))
          result.reusedHashes += 1
        case .reader:
          result.leftToReader.append(settled)
        case .hash:
          toHash.append((settled, candidate.status))
        }
      }
    }
    let outcomes = Self.hashAll(toHash.map { (path: $0.settled.absolutePath, status: $0.status) })
    for (file, outcome) in zip(toHash, outcomes) {
      switch outcome {
      case .hashed(let digest): result.files.append(ScannedFile(file.settled, sha256: digest))
      case .gone: continue  // removed since it was listed: nothing to load
      case .unreadable: result.unreadable.append(file.settled.absolutePath)
      case .unsettled: result.unsettled.append(file.settled.absolutePath)
      }
    }
    result.files.sortInApplyOrder(of: \.settled)
    result.leftToReader.sortInApplyOrder(of: { $0 })
    for keyPath in [\ScanResult.unrecognized, \.unsettled, \.linksOutside, \.unreadable] {
      result[keyPath: keyPath].sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
    return result
  }

  /// What hashing one settled file found.
  enum HashOutcome: Sendable {
    case hashed(SHA256Digest)
    /// Removed since it was listed.
    case gone
    case unreadable
    /// Its size or time moved while it was read.
    case unsettled
  }

  /// Hashes the files on every core, in order of `files`: the first message of a night waits
  /// for the whole scan (5,000 small files: 60 ms on one core of two).
  static func hashAll(_ files: [(path: String, status: FileSystem.Status)]) -> [HashOutcome] {
    let count = files.count
    let workers = min(count, ProcessInfo.processInfo.activeProcessorCount)
    guard workers > 1 else { return files.map { hash($0.path, seen: $0.status) } }
    var outcomes = [HashOutcome](repeating: .gone, count: count)
    outcomes.withUnsafeMutableBufferPointer { buffer in
      // Each worker writes its own indices only.
      nonisolated(unsafe) let slots = buffer
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for index in stride(from: worker, to: count, by: workers) {
          slots[index] = hash(files[index].path, seen: files[index].status)
        }
      }
    }
    return outcomes
  }

  static func hash(_ path: String, seen status: FileSystem.Status) -> HashOutcome {
    let hashed: (digest: SHA256Digest, size: Int64)
    do {
      hashed = try FileHasher.sha256(path: path)
    } catch let error as FileHashError where error.code == ENOENT {
      return .gone
    } catch {
      return .unreadable
    }
    // Hashed bytes must be the bytes whose size and time were seen, or the ledger would pair
    // this digest with another version of the file.
    let after = FileSystem.status(path, followingLinks: true)
    guard hashed.size == status.size, after?.size == status.size,
      after?.modifiedTime == status.modifiedTime
    else { return .unsettled }
    return .hashed(hashed.digest)
  }

  struct Candidate: Sendable {
    var relativePath: String
    var absolutePath: String
    var location: ResourceLocation
    var status: FileSystem.Status
  }

  struct Discovery: Sendable {
    var candidates: [Candidate] = []
    var unrecognized: [String] = []
    var linksOutside: [String] = []
    var unreadable: [String] = []
  }

  /// Walks one root. Only what lies inside the root's real path is read: a symbolic link is
  /// followed when its fully resolved target is inside, and a directory already open higher up
  /// the walk is not entered again, so a link cycle ends.
  func discover(_ source: SourceRoot) throws -> Discovery {
    guard let rootStatus = FileSystem.status(source.path, followingLinks: true) else {
      throw ScanError.rootNotFound(path: source.path)
    }
    guard rootStatus.kind == .directory else { throw ScanError.notADirectory(path: source.path) }
    guard let rootReal = FileSystem.realPath(source.path) else {
      throw ScanError.rootNotFound(path: source.path)
    }
    func isInsideRoot(_ real: String) -> Bool {
      real == rootReal || real.hasPrefix(rootReal == "/" ? "/" : rootReal + "/")
    }

    var discovery = Discovery()
    struct DirectoryID: Hashable {
      var device: UInt64
      var inode: UInt64
    }
    var pending: [(absolute: String, relative: String, ancestors: Set<DirectoryID>)] = [
      (
        source.path, "",
        [DirectoryID(device: rootStatus.device, inode: rootStatus.inode)]
      )
    ]
    while let (directory, prefix, ancestors) = pending.popLast() {
      // Statuses come with the listing, relative to the open directory (links are resolved by
      // path below): sub-directories for the cycle check, CSV files for their size and time.
      let listing = FileSystem.entries(of: directory) { name, kind in
        kind == .directory || kind == nil || (kind == .regular && Self.hasCSVExtension(name))
      }
      guard let entries = listing else {
        if directory == source.path {
          throw ScanError.unreadableDirectory(
            path: directory, reason: FileSystem.errorText(errno))
        }
        discovery.unreadable.append(directory)
        continue
      }
      for entry in entries {
        guard let name = entry.name else {
          discovery.unreadable.append(directory + "/<name that is not UTF-8>")
          continue
        }
        let absolute = directory == "/" ? "/" + name : directory + "/" + name
        let relative = prefix.isEmpty ? name : prefix + "/" + name
        var kind = entry.kind
        if kind == nil {
          kind = (entry.status ?? FileSystem.status(absolute, followingLinks: false))?.kind
        }
        let isCSV = Self.hasCSVExtension(name)
        var followed = false
        if kind == .symbolicLink {
          guard let real = FileSystem.realPath(absolute),
            let target = FileSystem.status(absolute, followingLinks: true)
          else {
            discovery.unreadable.append(absolute)
            continue
          }
          guard isInsideRoot(real) else {
            discovery.linksOutside.append(absolute)
            continue
          }
          kind = target.kind
          followed = true
        }
        switch kind {
        case .directory:
          guard
            let status = followed
              ? FileSystem.status(absolute, followingLinks: true)
              : entry.status ?? FileSystem.status(absolute, followingLinks: true)
          else {
            discovery.unreadable.append(absolute)
            continue
          }
          let id = DirectoryID(device: status.device, inode: status.inode)
          if ancestors.contains(id) { continue }
          pending.append((absolute, relative, ancestors.union([id])))
        case .regular where isCSV:
          guard let location = ResourceLocation(relativePath: relative) else {
            discovery.unrecognized.append(absolute)
            continue
          }
          guard
            let status = followed
              ? FileSystem.status(absolute, followingLinks: true)
              : entry.status ?? FileSystem.status(absolute, followingLinks: false)
          else {
            if errno != ENOENT { discovery.unreadable.append(absolute) }
            continue
          }
          discovery.candidates.append(
            Candidate(
              relativePath: relative, absolutePath: absolute, location: location, status: status))
        default:
          continue
        }
      }
    }
    return discovery
  }

  static func hasCSVExtension(_ name: String) -> Bool {
    let bytes = Array(name.utf8.suffix(4))
    guard bytes.count == 4, bytes[0] == 0x2E else { return false }
    return bytes[1...].map { $0 | 0x20 } == Array("csv".utf8)
  }
}
