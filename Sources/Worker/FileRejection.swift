/// Why a whole file is refused: nothing of it is applied (load-semantics §4.3).
public struct FileRejection: Error, Sendable, CustomStringConvertible {
  public let reason: String
  /// The bytes read were not the ones the file's identity names: the ledger row then does not
  /// make that identity known (`LedgerEntry.mismatched`).
  public let mismatched: Bool

  public init(_ reason: String, mismatched: Bool = false) {
    self.reason = reason
    self.mismatched = mismatched
  }

  public var description: String { reason }
}
