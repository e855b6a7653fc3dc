/// One server directory to mirror and how to log into it.
public struct RemoteSource: Sendable, Hashable {
  public let location: SFTPLocation
  /// With a name, `location.path` is that provider's root, landed under `<to>/<name>`; without,
  /// every sub-directory of it is one provider's root (as `--sources`).
  public let provider: String?
  public let secret: SecretSource
  public let knownHosts: String

  public init(location: SFTPLocation, provider: String?, secret: SecretSource, knownHosts: String) {
    self.location = location
    self.provider = provider
    self.secret = secret
    self.knownHosts = knownHosts
  }
}
