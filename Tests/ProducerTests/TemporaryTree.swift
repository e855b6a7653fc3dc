import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A scratch directory for one test, removed when the test ends. Plain POSIX calls: the
/// large-tree test writes ten thousand files, which FileManager makes take a minute.
final class TemporaryTree {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.path + "/lmsds-scan-" + UUID().uuidString
    try makeDirectories(path)
  }

  deinit {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/rm")
    process.arguments = ["-rf", path]
    if (try? process.run()) != nil { process.waitUntilExit() }
  }

  /// Writes `contents` at `relative`, creating directories, and dates it `age` seconds before
  /// `reference` so the settle window does not hide it.
  @discardableResult
  func write(
    _ relative: String, _ contents: String = "a,b\n", age: TimeInterval = 3600,
    reference: Date = Date()
  ) throws -> String {
    let file = path + "/" + relative
    try makeDirectories(String(file[..<file.lastIndex(of: "/")!]))
    let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    defer { close(descriptor) }
    let bytes = Array(contents.utf8)
    guard
      bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count
    else { throw POSIXError(.EIO) }
    try setModified(relative, reference.addingTimeInterval(-age))
    return file
  }

  func setModified(_ relative: String, _ date: Date) throws {
    let seconds = date.timeIntervalSince1970.rounded(.down)
    let nanoseconds = ((date.timeIntervalSince1970 - seconds) * 1e9).rounded()
    var times = [
      timespec(tv_sec: Int(seconds), tv_nsec: Int(nanoseconds)),
      timespec(tv_sec: Int(seconds), tv_nsec: Int(nanoseconds)),
    ]
    guard utimensat(AT_FDCWD, path + "/" + relative, &times, AT_SYMLINK_NOFOLLOW) == 0 else {
      throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
  }

  func directory(_ relative: String) throws { try makeDirectories(path + "/" + relative) }

  func link(_ relative: String, to destination: String) throws {
    let file = path + "/" + relative
    try makeDirectories(String(file[..<file.lastIndex(of: "/")!]))
    guard symlink(destination, file) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
  }

  private func makeDirectories(_ directory: String) throws {
    if mkdir(directory, 0o755) == 0 || errno == EEXIST { return }
    guard errno == ENOENT, let slash = directory.lastIndex(of: "/"), slash != directory.startIndex
    else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    try makeDirectories(String(directory[..<slash]))
    guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
      throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
  }
}
