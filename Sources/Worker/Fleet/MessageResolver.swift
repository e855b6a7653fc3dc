import Foundation
import Kafka
import Messages

/// Turns a message read from the topic into the file it names under this worker's `--sources`.
public struct MessageResolver: Sendable {
  public enum Resolution: Sendable {
    /// A well-formed message for a provider this worker has a root for.
    case file(FileMessage, root: String, force: Bool)
    /// The message itself is unusable (not JSON, a bad field): it goes to the dead-letter topic.
    case deadLetter(String)
    /// This worker cannot apply the message yet (a provider it has no root for, a newer message
    /// version): its partition parks there without committing, and the message is retried.
    case park(ParkReason)
  }

  public let sourcesDirectory: String

  public init(sourcesDirectory: String) {
    self.sourcesDirectory =
      sourcesDirectory.hasSuffix("/") && sourcesDirectory.count > 1
      ? String(sourcesDirectory.dropLast()) : sourcesDirectory
  }

  /// What a message says, read without looking at any file: done once, as the message arrives,
  /// so that a batch does not spend its first milliseconds decoding a thousand messages while the
  /// database waits.
  public enum Decoded: Sendable {
    case message(FileMessage)
    /// Not a file message this or any worker can use (`Resolution.deadLetter`).
    case unusable(String)
    /// A version this worker cannot read (`Resolution.park`).
    case unsupported(ParkReason)
  }

  public func decode(_ value: [UInt8]) -> Decoded {
    do {
      return .message(try FileMessage.decode(value))
    } catch FileMessageError.unsupportedVersion(let version) {
      return .unsupported(
        ParkReason(
          .unsupportedVersion,
          FileMessageError.unsupportedVersion(version).description
            + "; a worker of a newer lmsds applies it"))
    } catch {
      return .unusable("\(error)")
    }
  }

  public func resolve(_ value: [UInt8]) -> Resolution {
    var roots = ProviderRoots()
    return resolve(decode(value), roots: &roots)
  }

  /// Where a decoded message's file lies; `roots` keeps what it learnt of each provider's root.
  public func resolve(_ decoded: Decoded, roots: inout ProviderRoots) -> Resolution {
    let message: FileMessage
    switch decoded {
    case .message(let decoded): message = decoded
    case .unusable(let reason): return .deadLetter(reason)
    case .unsupported(let reason): return .park(reason)
    }
    let provider = message.provider.rawValue
    guard message.provider.namesOneDirectory else {
      return .deadLetter("malformed file message: provider \"\(provider)\" cannot name a directory")
    }
    let root = sourcesDirectory + "/" + provider
    guard roots.isDirectory(root) else {
      return .park(
        ParkReason(
          .noSourceRoot,
          "no source root for provider \(provider) under \(sourcesDirectory) (message for \(message.relativePath)); "
            + "the partition resumes once the provider's root is mounted there"))
    }
    // `lmsds replay --force` marks its messages: applied regardless of identity and watermark.
    return .file(message, root: root, force: message.replay && message.force)
  }
}
