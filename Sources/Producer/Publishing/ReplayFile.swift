import Foundation
import Messages

/// One file a replay publishes again, with where the replay learnt of it.
public struct ReplayFile: Hashable, Sendable, CustomStringConvertible {
  public enum Source: Hashable, Sendable {
    /// Read back from the topic at this offset.
    case topic(offset: Int64)
    /// The topic no longer holds it: known from the ledger only, so the bytes must be checked
    /// under the root before it is sent.
    case ledger
  }

  public let provider: ProviderName
  public let resource: ResourceKind
  public let relativePath: String
  public let size: Int64
  public let sha256: SHA256Digest
  public let nameTimestamp: NameTimestamp
  public let source: Source

  public init(
    provider: ProviderName, resource: ResourceKind, relativePath: String, size: Int64,
    sha256: SHA256Digest,
    nameTimestamp: NameTimestamp, source: Source
  ) {
    self.provider = provider
    self.resource = resource
    self.relativePath = relativePath
    self.size = size
    self.sha256 = sha256
    self.nameTimestamp = nameTimestamp
    self.source = source
  }

  public var identity: FileIdentity {
    FileIdentity(provider: provider, relativePath: relativePath, sha256: sha256)
  }

  /// The message that sends it again: `replay` always, `force` for `replay --force`.
  public func message(scanId: String, force: Bool, publishedAt: Date) -> FileMessage {
    FileMessage(
      provider: provider, resource: resource, relativePath: relativePath, size: size,
      sha256: sha256,
      nameTimestamp: nameTimestamp, scanId: scanId, replay: true, force: force,
      publishedAt: publishedAt)
  }

  /// `ApplyOrder`; the digest breaks ties so that a plan is deterministic.
  static func applyOrder(_ lhs: ReplayFile, _ rhs: ReplayFile) -> Bool {
    let left = ApplyOrder(
      resource: lhs.resource, nameTimestamp: lhs.nameTimestamp, relativePath: lhs.relativePath)
    let right = ApplyOrder(
      resource: rhs.resource, nameTimestamp: rhs.nameTimestamp, relativePath: rhs.relativePath)
    if left != right { return ApplyOrder.precedes(left, right) }
    return lhs.sha256 < rhs.sha256
  }

  public var description: String { "\(provider)/\(relativePath) (\(sha256.hex.prefix(12)))" }
}
