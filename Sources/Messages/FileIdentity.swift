/// A file's identity: the same bytes at the same place under the same provider (load-semantics §8).
public struct FileIdentity: Hashable, Sendable, Codable {
  public let provider: ProviderName
  /// Relative to the provider's root, `/`-separated.
  public let relativePath: String
  /// Lower-case hexadecimal SHA-256 of the file's bytes.
  public let sha256: String

  public init(provider: ProviderName, relativePath: String, sha256: String) {
    self.provider = provider
    self.relativePath = relativePath
    self.sha256 = sha256
  }
}
