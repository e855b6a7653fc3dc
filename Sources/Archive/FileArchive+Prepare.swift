import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension FileArchive {
  /// Readies the archive's directory before a run relies on it: creates it, parents included,
  /// when it is missing (a fresh volume, a first run), and checks that it is a directory this
  /// process may add files to. Returns whether it had to be created.
  ///
  /// Without this, a directory that cannot be created would only show when the first file is
  /// stored, as that file's failure; a run that stores files calls it at start instead, so a
  /// wrong path or a read-only mount stops it there, with the path named.
  @discardableResult
  public func prepare() throws(ArchiveError) -> Bool {
    var created = false
    var status = stat()
    if stat(directory, &status) != 0 {
      guard errno == ENOENT else {
        throw ArchiveError(path: directory, operation: "look up", code: errno)
      }
      try createWithParents()
      created = true
    } else if (status.st_mode & S_IFMT) != S_IFDIR {
      throw ArchiveError(
        path: directory, operation: "use", code: ENOTDIR, detail: "it is not a directory")
    }
    guard access(directory, W_OK | X_OK) == 0 else {
      throw ArchiveError(path: directory, operation: "write into", code: errno)
    }
    return created
  }

  /// mkdir for each missing component, each new entry synced in its parent, so that the
  /// directory outlives a crash like the copies stored in it.
  private func createWithParents() throws(ArchiveError) {
    let absolute = directory.hasPrefix("/")
    let components = directory.split(separator: "/", omittingEmptySubsequences: true)
    var path = absolute ? "" : "."
    for component in components {
      let parent = path.isEmpty ? "/" : path
      path = path == "." && !absolute ? String(component) : "\(path)/\(component)"
      if mkdir(path, 0o755) == 0 {
        try syncEntry(in: parent)
        continue
      }
      let code = errno
      var status = stat()
      guard code == EEXIST, stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
        throw ArchiveError(path: path, operation: "create directory", code: code)
      }
    }
  }

  private func syncEntry(in folder: String) throws(ArchiveError) {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw ArchiveError(path: folder, operation: "open", code: errno) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else {
      throw ArchiveError(path: folder, operation: "sync", code: errno)
    }
  }
}
