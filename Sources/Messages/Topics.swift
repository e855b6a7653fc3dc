/// Topic names the producer and the workers must agree on; plain strings because Messages does
/// not depend on the Kafka module.
public enum Topics {
  /// `<topic>.dlq`, where workers put rejected files' messages (architecture.md).
  public static func deadLetter(of topic: String) -> String { topic + ".dlq" }
}
