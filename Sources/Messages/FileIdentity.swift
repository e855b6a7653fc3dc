/// A file's identity: the same bytes at the same place under the same provider (load-semantics §8).
///
/// The size is not part of it: the digest already names the bytes, and a size is a claim the
/// holder checks against them (a message's or a scan's), kept beside the identity.
public struct FileIdentity: Hashable, Sendable, Codable {
  public let provider: ProviderName
  /// Relative to the provider's root, `/`-separated.
  public let relativePath: String
  public let sha256: SHA256Digest

  public init(provider: ProviderName, relativePath: String, sha256: SHA256Digest) {
    self.provider = provider
    self.relativePath = relativePath
    self.sha256 = sha256
  }
}
