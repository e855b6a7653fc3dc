import Archive
import ExtractorTree
import Foundation
import Messages

/// Checks that the file a message names is the file it describes, before anything reads it for
/// loading: present under the provider's root, the same size. Its SHA-256 is checked on the bytes
/// the applier stages (`StagedContent`), so the file is read once.
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
    var roots = ProviderRoots()
    return verify(message, root: root, roots: &roots)
  }

  /// `verify`, the root looked up in `roots` (once a batch, not once a message).
  public func verify(_ message: FileMessage, root: String, roots: inout ProviderRoots) -> Verdict {
    if let archive, SourcePath.lexicalProblem(message.relativePath) == nil,
      let held = archive.held(message.identity, size: message.size)
    {
      return .verified(absolutePath: held)
    }
    let located = SourcePath.locate(
      message.relativePath, under: root, realRoot: roots.realPath(of: root))
    switch located.resolution {
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
      // The SHA-256 is not computed here: the applier hashes the bytes it stages and holds them
      // to the message before commit, so the file is read once. The size, known without reading,
      // tells a file still being copied from a complete one at once.
      // The stat that found it a regular file: `FileManager.attributesOfItem` also lists
      // extended attributes and builds a dictionary, a twentieth of a worker's CPU at a message
      // per file.
      guard let size = located.size else { return .mismatch("the file is missing") }
      if size != message.size {
        return .mismatch("its size is \(size) bytes, the message says \(message.size)")
      }
      return .verified(absolutePath: path)
    }
  }
}
