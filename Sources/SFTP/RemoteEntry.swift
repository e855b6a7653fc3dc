/// One name in a remote directory, with the attributes the listing returned for it.
public struct RemoteEntry: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case file
    case directory
    /// A symbolic link, device, socket…: never followed nor read, so nothing outside a root is.
    case other
  }

  public let name: String
  public let kind: Kind
  public let size: UInt64
  /// Seconds since 1970 (SFTP version 3 carries whole seconds only).
  public let modificationTime: Int64

  public init(name: String, kind: Kind, size: UInt64, modificationTime: Int64) {
    self.name = name
    self.kind = kind
    self.size = size
    self.modificationTime = modificationTime
  }
}
