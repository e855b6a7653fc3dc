/// The producer run that last published one of a provider's files.
struct ProducerScan: Sendable, Hashable {
  let scanID: String?
  /// When that newest `published` row was written, as the database returned it.
  let publishedAt: String
}
