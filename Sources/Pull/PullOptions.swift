import Foundation

/// How a pull treats what it finds.
public struct PullOptions: Sendable {
  /// Files modified less than this many seconds ago are left for the next run.
  public var settleSeconds: Double
  /// Trust a server whose known-hosts file lists no key for it, and record its key there.
  public var acceptNewHostKeys: Bool
  /// Seconds to wait for a connection or an answer before a server counts as unreachable.
  public var timeoutSeconds: Int32

  public init(
    settleSeconds: Double = 30, acceptNewHostKeys: Bool = false, timeoutSeconds: Int32 = 30
  ) {
    self.settleSeconds = settleSeconds
    self.acceptNewHostKeys = acceptNewHostKeys
    self.timeoutSeconds = timeoutSeconds
  }
}
