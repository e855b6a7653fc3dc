/// Names of the statements this session has prepared, by SQL text. A loader runs the same few
/// statements for every file; preparing them once saves the server parsing and planning them again.
///
/// Bounded, because SQL built with literal values would otherwise grow it without end; past the
/// bound statements simply run unprepared.
struct PreparedStatementCache {
  private var names: [String: String] = [:]
  private var counter = 0
  let capacity: Int

  init(capacity: Int = 256) { self.capacity = capacity }

  func name(for sql: String) -> String? { names[sql] }

  /// A name not used before in this session, or nil when the cache is full.
  mutating func newName() -> String? {
    guard names.count < capacity else { return nil }
    counter += 1
    return "lmsds_\(counter)"
  }

  mutating func store(_ name: String, for sql: String) { names[sql] = name }

  /// Forgets a statement the server no longer accepts; its server-side copy stays until the
  /// session ends, which costs a little memory and nothing else.
  mutating func forget(_ sql: String) { names[sql] = nil }

  /// After a reconnection the new session has none of the old statements.
  mutating func removeAll() { names.removeAll() }
}
