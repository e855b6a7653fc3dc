import Messages

/// The newest snapshot applied for one resource of a provider, over all its scopes.
struct ResourceSnapshot: Sendable, Hashable {
  let resource: String
  let newest: NameTimestamp?
  /// How many scopes (sections, assignments, dates, or the provider itself) have a snapshot.
  let scopes: Int
}
