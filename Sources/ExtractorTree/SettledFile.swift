import Foundation
import Messages

/// An LMS-UDM file found under a source root and old enough to load (load-semantics §2), before
/// any of its bytes are read.
public struct SettledFile: Hashable, Sendable {
  public let provider: ProviderName
  public let rootPath: String
  /// Relative to the root, `/`-separated; part of the file's identity.
  public let relativePath: String
  public let location: ResourceLocation
  public let size: Int64
  /// With the file system's sub-second precision; the ledger keeps microseconds.
  public let modifiedTime: Date
  public let absolutePath: String

  public init(
    provider: ProviderName, rootPath: String, relativePath: String, location: ResourceLocation,
    size: Int64, modifiedTime: Date, absolutePath: String
  ) {
    self.provider = provider
    self.rootPath = rootPath
    self.relativePath = relativePath
    self.location = location
    self.size = size
    self.modifiedTime = modifiedTime
    self.absolutePath = absolutePath
  }

  /// `ApplyOrder` within a provider. Providers are independent; they are grouped by the bytes of
  /// their names only to keep a scan's output deterministic (`ApplyOrderKey`, the one definition).
  public static func applyOrder(_ lhs: SettledFile, _ rhs: SettledFile) -> Bool {
    ApplyOrderKey(lhs) < ApplyOrderKey(rhs)
  }

  var order: ApplyOrder {
    ApplyOrder(
      resource: location.resource, nameTimestamp: location.nameTimestamp,
      relativePath: relativePath)
  }
}
