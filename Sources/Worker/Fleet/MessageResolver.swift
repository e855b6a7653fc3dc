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

  public func resolve(_ value: [UInt8]) -> Resolution {
    let message: FileMessage
    do {
      message = try FileMessage.decode(value)
    } catch FileMessageError.unsupportedVersion(let version) {
      return .park(
        ParkReason(
          .unsupportedVersion,
          FileMessageError.unsupportedVersion(version).description
            + "; a worker of a newer lmsds applies it"))
    } catch {
      return .deadLetter("\(error)")
    }
    let provider = message.provider.rawValue
    guard message.provider.namesOneDirectory else {
      return .deadLetter("malformed file message: provider \"\(provider)\" cannot name a directory")
    }
    let root = sourcesDirectory + "/" + provider
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
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
