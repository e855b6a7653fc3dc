/// Why a worker cannot apply a message yet, though nothing is wrong with the message itself:
/// another worker (a newer version, one with the root mounted) or this one once fixed can apply
/// it, so it is neither skipped nor dead-lettered — its partition waits (`ParkedPartitions`).
public struct ParkReason: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: String, Sendable, Hashable {
    /// No directory `<--sources>/<provider>` (not mounted yet, a new provider).
    case noSourceRoot = "no_source_root"
    /// A message version whose major number this worker does not know (a newer producer).
    case unsupportedVersion = "unsupported_version"
  }

  public let kind: Kind
  /// For people: what is missing and what resolves it.
  public let detail: String

  public init(_ kind: Kind, _ detail: String) {
    self.kind = kind
    self.detail = detail
  }

  public var description: String { detail }
}
