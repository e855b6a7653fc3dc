import Foundation
import Messages

/// A settled LMS-UDM file found under a source root, hashed, ready to be offered for loading.
/// Its other properties are the settled file's (`file.provider`, `file.size`, …).
@dynamicMemberLookup
public struct ScannedFile: Hashable, Sendable {
  public let settled: SettledFile
  /// SHA-256 of the bytes, or the ledger's for an unchanged file.
  public let sha256: SHA256Digest

  public init(_ settled: SettledFile, sha256: SHA256Digest) {
    self.settled = settled
    self.sha256 = sha256
  }

  public init(
    provider: ProviderName, rootPath: String, relativePath: String, location: ResourceLocation,
    size: Int64, modifiedTime: Date, absolutePath: String, sha256: SHA256Digest
  ) {
    self.init(
      SettledFile(
        provider: provider, rootPath: rootPath, relativePath: relativePath, location: location,
        size: size, modifiedTime: modifiedTime, absolutePath: absolutePath),
      sha256: sha256)
  }

  public subscript<Value>(dynamicMember keyPath: KeyPath<SettledFile, Value>) -> Value {
    settled[keyPath: keyPath]
  }

  public var identity: FileIdentity {
    FileIdentity(provider: settled.provider, relativePath: settled.relativePath, sha256: sha256)
  }

  public func message(scanId: String, publishedAt: Date, replay: Bool = false) -> FileMessage {
    FileMessage(
      provider: settled.provider, resource: settled.location.resource,
      relativePath: settled.relativePath, size: settled.size, sha256: sha256,
      nameTimestamp: settled.location.nameTimestamp, scanId: scanId, replay: replay,
      publishedAt: publishedAt)
  }

  /// `SettledFile.applyOrder`.
  public static func applyOrder(_ lhs: ScannedFile, _ rhs: ScannedFile) -> Bool {
    SettledFile.applyOrder(lhs.settled, rhs.settled)
  }
}
