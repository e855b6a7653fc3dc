/// The bytes staged for a file were not the ones its identity names, and the caller asked to look
/// again rather than record a rejection (`TransactionControl.recordMismatches`): the transaction
/// was rolled back. The reason names both digests.
public struct StagedContentChanged: Error, Sendable, CustomStringConvertible {
  public let reason: String

  public init(reason: String) { self.reason = reason }

  public var description: String { reason }
}
