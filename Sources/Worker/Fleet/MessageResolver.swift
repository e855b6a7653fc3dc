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
    /// The worker must not go past this message (a provider it has no root for, a newer message
    /// version): it stops without committing, so another worker — or this one once fixed — can.
    case stop(String)
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
      return .stop(FileMessageError.unsupportedVersion(version).description)
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
      return .stop(
        "no source root for provider \(provider) under \(sourcesDirectory) (message for \(message.relativePath)); "
          + "mount the provider's root there and start the worker again")
    }
    // `lmsds replay --force` marks its messages: applied regardless of identity and watermark.
    return .file(message, root: root, force: message.replay && message.force)
  }
}
