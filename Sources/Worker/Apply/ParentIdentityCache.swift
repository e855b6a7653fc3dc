import Messages

/// The parents' identities the last child wave read, kept for the next one: a night's
/// submissions come in several waves, in several transactions, and each read every user of its
/// SourceSystems again (27 reads, 90 ms of a worker's run on the fleet bench).
///
/// Kept across commits, because an entry cannot turn wrong in a way that loads a wrong row: a
/// parent's identity never changes once committed, so an entry is either still right or missing
/// a parent another session added since (that row then finds no parent and its wave takes the
/// staged merge, as for any orphan), and a parent removed by hand makes the fill's insert fail on
/// its foreign key (the wave is then applied file by file). Emptied when a transaction rolls
/// back, and a parent's entries dropped before a wave writes its table. A wave that must read
/// lets go first of what it does not need (`keepOnly`), so the read budget still bounds memory.
struct ParentIdentityCache {
  struct Key: Hashable {
    let parent: ResourceKind
    let sourceSystem: String
  }

  private var tables: [Key: ParentIdentities] = [:]

  subscript(_ key: Key) -> ParentIdentities? {
    get { tables[key] }
    set { tables[key] = newValue }
  }

  /// Drops every entry but `keys`'.
  mutating func keepOnly(_ keys: Set<Key>) {
    tables = tables.filter { keys.contains($0.key) }
  }

  /// Drops `resource`'s entries: a wave is about to write its table.
  mutating func forget(_ resource: ResourceKind) {
    tables = tables.filter { $0.key.parent != resource }
  }

  mutating func removeAll() { tables.removeAll() }

  var count: Int { tables.count }
}
