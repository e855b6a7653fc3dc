import ArgumentParser
import Foundation
import Kafka

/// The broker options of `produce`, `work` and `replay`.
struct KafkaOptions: ParsableArguments {
  @Option(help: "Kafka bootstrap servers, host:port[,host:port…] (also KAFKA_BROKERS).")
  var brokers: String?
  @Option(help: "The topic of file messages (refused ones go to <topic>.dlq).")
  var topic = "lms.files"
  @Option(
    name: .customLong("kafka-option"),
    help: ArgumentHelp(
      "A librdkafka property key=value (TLS, SASL, timeouts such as message.timeout.ms); repeatable.",
      valueName: "key=value"))
  var kafkaOptions: [String] = []
  @Option(
    name: .customLong("kafka-options-file"),
    help: ArgumentHelp(
      "A file of librdkafka properties, one key=value a line (also KAFKA_OPTIONS_FILE): the place for SASL passwords, which flags would show in `ps`.",
      valueName: "path"))
  var kafkaOptionsFile: String?

  var topicName: TopicName { TopicName(topic) }

  var resolvedBrokers: String? {
    brokers ?? ProcessInfo.processInfo.environment["KAFKA_BROKERS"]
  }

  private var resolvedOptionsFile: String? {
    kafkaOptionsFile ?? ProcessInfo.processInfo.environment["KAFKA_OPTIONS_FILE"]
  }

  func validate() throws {
    guard resolvedBrokers?.isEmpty == false else {
      throw ValidationError("give --brokers HOST:PORT (or set KAFKA_BROKERS)")
    }
    guard topicName.isValid else {
      throw ValidationError("--topic \(topic) is not a valid Kafka topic name")
    }
  }

  /// The client configuration: the options file first, then `--kafka-option` (which wins). A
  /// malformed option is a usage error; secret values never reach the message (KafkaConfiguration
  /// redacts them).
  func configuration(clientID: String = "lmsds") throws -> KafkaConfiguration {
    do {
      var configuration = try KafkaConfiguration(
        bootstrapServers: resolvedBrokers, options: try optionsFromFile() + kafkaOptions)
      if configuration.clientID == nil { configuration.clientID = clientID }
      return configuration
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure(status: .usage, message: "\(error)")
    }
  }

  /// The `key=value` lines of the options file; blank lines and `#` comments are skipped.
  private func optionsFromFile() throws -> [String] {
    guard let path = resolvedOptionsFile, !path.isEmpty else { return [] }
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw CommandFailure(status: .usage, message: "cannot read the Kafka options file \(path)")
    }
    var options: [String] = []
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let line = rawLine.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
      if line.isEmpty || line.hasPrefix("#") { continue }
      // The line itself is not quoted back: it may hold a password.
      guard line.contains("=") else {
        throw CommandFailure(
          status: .usage, message: "\(path):\(index + 1): expected key=value")
      }
      options.append(line)
    }
    return options
  }
}
