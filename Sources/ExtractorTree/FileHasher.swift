import Crypto
import Foundation
import Messages

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// SHA-256 of a file, streamed so a large file never sits in memory.
public enum FileHasher {
  public static let chunkSize = 1 << 20

  /// The digest and the number of bytes read (which a caller compares with the size it saw
  /// before, to notice a file still being written).
  public static func sha256(path: String) throws -> (digest: Messages.SHA256Digest, size: Int64) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw FileHashError(path: path, operation: "open", code: errno) }
    defer { close(descriptor) }
    return try sha256(reading: descriptor, path: path)
  }

  /// Reads `descriptor` (the file at `path`) to its end in chunks, hashing each one and handing
  /// it to `eachChunk` (the archive writes its copy there), so the bytes hashed are the bytes used.
  public static func sha256(
    reading descriptor: Int32, path: String,
    eachChunk: (UnsafeRawBufferPointer) throws -> Void = { _ in }
  ) throws -> (digest: Messages.SHA256Digest, size: Int64) {
    var hasher = SHA256()
    var total: Int64 = 0
    // Not zero-filled: most extractor files are a few KiB, and clearing 1 MiB for each of ten
    // thousand files costs more than hashing them.
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let count = read(descriptor, buffer.baseAddress, chunkSize)
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        throw FileHashError(path: path, operation: "read", code: errno)
      }
      let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
      hasher.update(bufferPointer: chunk)
      try eachChunk(chunk)
      total += Int64(count)
    }
    return (Messages.SHA256Digest(bytes: hasher.finalize()), total)
  }
}

public struct FileHashError: Error, Hashable, Sendable, CustomStringConvertible {
  public let path: String
  public let operation: String
  public let code: Int32

  public var description: String {
    "cannot \(operation) \(path): \(String(cString: strerror(code)))"
  }
}
