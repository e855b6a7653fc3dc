import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few POSIX calls the scanner needs, without Foundation's per-entry overhead: a root may
/// hold tens of thousands of files and is scanned every few minutes. `package`: the replay reads a
/// file's modification time through the same call.
package enum FileSystem {
  package enum Kind: Hashable, Sendable {
    case directory
    case regular
    case symbolicLink
    case other
  }

  package struct Status: Hashable, Sendable {
    package var kind: Kind
    package var size: Int64
    package var modifiedTime: Date
    package var device: UInt64
    package var inode: UInt64
  }

  package static func status(_ path: String, followingLinks: Bool) -> Status? {
    var info = stat()
    let result = followingLinks ? stat(path, &info) : lstat(path, &info)
    guard result == 0 else { return nil }
    return Status(info)
  }

  static func kind(ofPathFollowingLinks path: String) -> Kind? {
    status(path, followingLinks: true)?.kind
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(validatingCString: resolved)
  }

  struct Entry {
    var name: String?
    /// From `d_type`; nil when the file system does not say, so the caller must `lstat`.
    var kind: Kind?
    /// Its `lstat`, where the caller asked for it and the call succeeded.
    var status: Status?
  }

  /// The entries of a directory except `.` and `..`; nil with `errno` set when it cannot be read.
  /// An entry for which `wantsStatus` (its name and `d_type` kind) holds comes with its `lstat`,
  /// taken relative to the open directory: a walk of thousands of directories otherwise has the
  /// kernel resolve each directory's whole path again for every entry in it.
  static func entries(
    of path: String, wantsStatus: (String, Kind?) -> Bool = { _, _ in false }
  ) -> [Entry]? {
    guard let directory = opendir(path) else { return nil }
    defer { closedir(directory) }
    let descriptor = dirfd(directory)
    var entries: [Entry] = []
    while let pointer = readdir(directory) {
      let kind: Kind?
      switch Int32(pointer.pointee.d_type) {
      case Int32(DT_DIR): kind = .directory
      case Int32(DT_REG): kind = .regular
      case Int32(DT_LNK): kind = .symbolicLink
      case Int32(DT_UNKNOWN): kind = nil
      default: kind = .other
      }
      let entry = withUnsafePointer(to: &pointer.pointee.d_name) { tuple in
        tuple.withMemoryRebound(to: CChar.self, capacity: 256) { chars -> Entry? in
          if chars[0] == 0x2E && (chars[1] == 0 || (chars[1] == 0x2E && chars[2] == 0)) {
            return nil
          }
          let name = String(validatingCString: chars)
          var status: Status?
          if let name, wantsStatus(name, kind) {
            var info = stat()
            if fstatat(descriptor, chars, &info, AT_SYMLINK_NOFOLLOW) == 0 {
              status = Status(info)
            }
          }
          return Entry(name: name, kind: kind, status: status)
        }
      }
      if let entry { entries.append(entry) }
    }
    return entries
  }

  static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

extension FileSystem.Status {
  init(_ info: stat) {
    let kind: FileSystem.Kind
    switch info.st_mode & S_IFMT {
    case S_IFDIR: kind = .directory
    case S_IFREG: kind = .regular
    case S_IFLNK: kind = .symbolicLink
    default: kind = .other
    }
    #if canImport(Darwin)
      let time = info.st_mtimespec
    #else
      let time = info.st_mtim
    #endif
    self.init(
      kind: kind, size: Int64(info.st_size),
      modifiedTime: Date(
        timeIntervalSince1970: TimeInterval(time.tv_sec) + TimeInterval(time.tv_nsec) / 1e9),
      device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
  }
}
