import Kafka
import Messages

/// Makes sure the file topic and its dead-letter topic exist before anything is published.
///
/// Partitions cannot be taken away from a topic, and adding some moves providers to other
/// partitions (breaking their order while old messages are still unread), so an existing topic
/// is never altered: a smaller count than asked is only reported.
public struct TopicSetup: Sendable {
  public let topic: TopicName
  public let partitions: Int
  /// The dead-letter topic takes as many partitions: a rejected file keeps its provider's key,
  /// and a reader of the dead letters may want them spread the same way.
  public var deadLetterTopic: TopicName { Self.deadLetterTopic(of: topic) }

  public init(topic: TopicName, partitions: Int) {
    self.topic = topic
    self.partitions = partitions
  }

  public static func deadLetterTopic(of topic: TopicName) -> TopicName {
    TopicName(Topics.deadLetter(of: topic.rawValue))
  }

  /// What `ensure` found or did.
  public struct Report: Hashable, Sendable {
    /// Topics this call created.
    public var created: [TopicName] = []
    /// The file topic's partition count after the call.
    public var partitionCount: Int = 0
    /// Things an operator should know (fewer partitions than asked).
    public var warnings: [String] = []
  }

  /// - Parameters:
  ///   - lookupTimeout: for each metadata request; an unreachable broker fails within it.
  ///   - createTimeout: for each topic creation, which a busy cluster may take a while to confirm.
  public func ensure(
    admin: KafkaAdmin, lookupTimeout: Duration = .seconds(10),
    createTimeout: Duration = .seconds(30)
  ) throws -> Report {
    var report = Report()
    for name in [topic, deadLetterTopic] {
      if let existing = try admin.partitionCount(of: name, timeout: lookupTimeout) {
        if name == topic {
          report.partitionCount = existing
          if existing < partitions {
            report.warnings.append(
              "topic \(name) has \(existing) partitions, fewer than --partitions \(partitions); "
                + "it is left as it is (adding partitions would move providers between partitions)")
          }
        }
        continue
      }
      // Another producer may create it at the same moment: `false` (already exists) is fine.
      if try admin.createTopic(name, partitions: partitions, timeout: createTimeout) {
        report.created.append(name)
      }
      if name == topic {
        report.partitionCount =
          try admin.partitionCount(of: name, timeout: lookupTimeout) ?? partitions
      }
    }
    return report
  }
}
