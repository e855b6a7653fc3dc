import Foundation
import Messages

/// A settled LMS-UDM file found under a source root, hashed, ready to be offered for loading.
public struct ScannedFile: Hashable, Sendable {
  public let provider: ProviderName
  public let rootPath: String
  /// Relative to the root, `/`-separated; part of the file's identity.
  public let relativePath: String
  public let location: ResourceLocation
  public let size: Int64
  /// With the file system's sub-second precision; the ledger keeps microseconds.
  public let modifiedTime: Date
  public let absolutePath: String
  /// SHA-256 of the bytes, or the ledger's for an unchanged file.
  public let sha256: SHA256Digest

  public init(
    provider: ProviderName, rootPath: String, relativePath: String, location: ResourceLocation,
    size: Int64, modifiedTime: Date, absolutePath: String, sha256: SHA256Digest
  ) {
    self.provider = provider
    self.rootPath = rootPath
    self.relativePath = relativePath
    self.location = location
    self.size = size
    self.modifiedTime = modifiedTime
    self.absolutePath = absolutePath
    self.sha256 = sha256
  }

  public var identity: FileIdentity {
    FileIdentity(provider: provider, relativePath: relativePath, sha256: sha256)
  }

  public func message(scanId: String, publishedAt: Date, replay: Bool = false) -> FileMessage {
    FileMessage(
      provider: provider, resource: location.resource, relativePath: relativePath, size: size,
      sha256: sha256, nameTimestamp: location.nameTimestamp, scanId: scanId, replay: replay,
      publishedAt: publishedAt)
  }

  /// `ApplyOrder` within a provider. Providers are independent; they are grouped by name only to
  /// keep a scan's output deterministic.
  public static func applyOrder(_ lhs: ScannedFile, _ rhs: ScannedFile) -> Bool {
    if lhs.provider != rhs.provider {
      return lhs.provider.rawValue.utf8.lexicographicallyPrecedes(rhs.provider.rawValue.utf8)
    }
    return ApplyOrder.precedes(lhs.order, rhs.order)
  }

  var order: ApplyOrder {
    ApplyOrder(
      resource: location.resource, nameTimestamp: location.nameTimestamp,
      relativePath: relativePath)
  }
}
