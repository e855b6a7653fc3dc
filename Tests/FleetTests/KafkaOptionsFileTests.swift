import Foundation
import Testing

/// `--kafka-options-file`: librdkafka settings (SASL passwords) kept out of `ps`, and out of the
/// messages about a bad file.
struct KafkaOptionsFileTests {
  @Test func aMalformedLineIsAUsageErrorThatNamesTheLineButNotItsText() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "lmsds-kafka-options-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("kafka.properties").path
    try "# cluster credentials\nsecurity.protocol=SASL_SSL\nsasl.password hunter2\n".write(
      toFile: file, atomically: true, encoding: .utf8)

    let processes = try ProcessGroup()
    let (status, log) = try processes.runToEnd(
      "work",
      [
        "work", "--sources", directory.path, "--brokers", "127.0.0.1:1",
        "--kafka-options-file", file, "--database", "sqlite:\(directory.path)/lms.sqlite",
      ], timeout: .seconds(30))
    #expect(status == 2, "\(log)")
    #expect(log.contains("\(file):3: expected key=value"), "\(log)")
    #expect(!log.contains("hunter2"))
  }
}
