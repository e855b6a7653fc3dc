/// The keys of a file's invalid rows, gathered while its valid rows go straight into the target.
///
/// A key written twice makes every row with it invalid (load-semantics §5). Between valid rows the
/// target's unique index sees that; between an invalid row and any other it cannot, so those keys
/// are kept here and checked after the fill. Invalid rows are few: past `limit` keys the set stops
/// growing and the fill gives way to the staged merge, so memory stays bounded.
final class InvalidRowKeys {
  let limit: Int
  private(set) var keys: Set<[UInt8]> = []
  /// An invalid row repeated the key of an earlier invalid row.
  private(set) var repeated = false
  /// More than `limit` keys: the set is incomplete.
  private(set) var overflowed = false

  init(limit: Int = 10_000) { self.limit = limit }

  func insert(_ bytes: UnsafeRawBufferPointer) {
    guard !overflowed, !repeated else { return }
    guard keys.count < limit else {
      overflowed = true
      keys.removeAll()
      return
    }
    if !keys.insert(Array(bytes)).inserted { repeated = true }
  }

  /// The keys as text, for the query that looks for them among the rows written.
  var texts: [String] { keys.map { String(decoding: $0, as: UTF8.self) } }
}
