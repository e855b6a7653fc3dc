/// The broker's answer for one message handed to `KafkaProducer.enqueue`: where it was stored,
/// or why it was not. Awaiting it later lets a sender keep many messages in flight while it
/// still learns each one's fate, in the order it chose.
///
/// Carried through librdkafka as the message's opaque and settled exactly once by the delivery
/// report; `delivered()` may be awaited before or after that, by any number of tasks.
public final class PendingDelivery: Sendable {
  public typealias Report = (partition: PartitionID, offset: Offset)

  private enum State {
    case waiting([CheckedContinuation<Report, any Error>])
    case settled(Result<Report, any Error>)
  }

  let topic: TopicName
  private let state = Locked(State.waiting([]))

  init(topic: TopicName) { self.topic = topic }

  /// Where the broker stored the message; throws the delivery error.
  public func delivered() async throws -> Report {
    try await withCheckedThrowingContinuation { continuation in
      let ready: Result<Report, any Error>? = state.withLock { state in
        switch state {
        case .settled(let result): return result
        case .waiting(let waiting):
          state = .waiting(waiting + [continuation])
          return nil
        }
      }
      if let ready { continuation.resume(with: ready) }
    }
  }

  func settle(_ result: Result<Report, any Error>) {
    let waiting: [CheckedContinuation<Report, any Error>] = state.withLock { state in
      guard case .waiting(let waiting) = state else { return [] }
      state = .settled(result)
      return waiting
    }
    for continuation in waiting { continuation.resume(with: result) }
  }
}
