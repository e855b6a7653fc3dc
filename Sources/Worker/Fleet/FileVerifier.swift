import ExtractorTree
import Messages

/// Checks that the file a message names is the file it describes, before anything reads it for
/// loading: present under the provider's root, the same size, the same SHA-256.
public struct FileVerifier: Sendable {
  public enum Verdict: Sendable, Hashable {
    case verified(absolutePath: String)
    /// Missing or different: maybe still being copied or replaced; worth looking again.
    case mismatch(String)
    /// Never acceptable (outside the root, not a regular file).
    case refused(String)
  }

  public init() {}

  public func verify(_ message: FileMessage, root: String) -> Verdict {
    switch SourcePath.resolve(message.relativePath, under: root) {
    case .refused(let reason): return .refused(reason)
    case .missing(let reason): return .mismatch(reason)
    case .inside(let path):
      let digest: (hex: String, size: Int64)
      do {
        digest = try FileHasher.sha256(path: path)
      } catch {
        return .mismatch("\(error)")
      }
      if digest.size != message.size {
        return .mismatch("its size is \(digest.size) bytes, the message says \(message.size)")
      }
      if digest.hex != message.sha256 {
        return .mismatch("its SHA-256 is \(digest.hex), the message says \(message.sha256)")
      }
      return .verified(absolutePath: path)
    }
  }
}
