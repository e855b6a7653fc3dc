/// A file message handed to the broker whose receipt has not been awaited yet.
public struct PendingPublish: Sendable {
  private let settle: @Sendable () async throws -> PublishReceipt

  /// - Parameter settle: waits for the broker's answer; called once per `receipt()`.
  public init(_ settle: @escaping @Sendable () async throws -> PublishReceipt) {
    self.settle = settle
  }

  /// Where the broker stored the message; throws why it did not.
  public func receipt() async throws -> PublishReceipt { try await settle() }
}
