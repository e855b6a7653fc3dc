import Archive
import ExtractorTree
import Messages

/// Checks that the file a message names is the file it describes, before anything reads it for
/// loading: present under the provider's root, the same size, the same SHA-256.
///
/// With an archive, bytes the archive holds are used whatever the root holds now (a name there
/// only ever points at bytes of that digest), and bytes read from the root are archived on the
/// way, checked as they are copied, so the applier reads a copy that cannot change under it.
public struct FileVerifier: Sendable {
  public enum Verdict: Sendable, Hashable {
    case verified(absolutePath: String)
    /// Missing or different: maybe still being copied or replaced; worth looking again.
    case mismatch(String)
    /// Never acceptable (outside the root, not a regular file).
    case refused(String)
  }

  public let archive: FileArchive?

  public init(archive: FileArchive? = nil) {
    self.archive = archive
  }

  public func verify(_ message: FileMessage, root: String) -> Verdict {
    if let archive, SourcePath.lexicalProblem(message.relativePath) == nil,
      let held = archive.held(message.identity, size: message.size)
    {
      return .verified(absolutePath: held)
    }
    switch SourcePath.resolve(message.relativePath, under: root) {
    case .refused(let reason): return .refused(reason)
    case .missing(let reason): return .mismatch(reason)
    case .inside(let path):
      if let archive {
        do {
          switch try archive.store(path: path, identity: message.identity, size: message.size) {
          case .archived(let copy): return .verified(absolutePath: copy)
          case .changed(let reason): return .mismatch(reason)
          }
        } catch {
          return .mismatch("\(error)")
        }
      }
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
