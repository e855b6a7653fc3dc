/// Why a whole file is refused: nothing of it is applied (load-semantics §4.3).
public struct FileRejection: Error, Sendable, CustomStringConvertible {
  public let reason: String
  public init(_ reason: String) { self.reason = reason }
  public var description: String { reason }
}
