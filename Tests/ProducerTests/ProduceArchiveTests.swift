import Archive
import ExtractorTree
import Foundation
import Kafka
import Messages
import Store
import Testing

@testable import Producer

/// `produce --archive`: bytes stored before the message is sent, and a lost message sent again
/// from the archive after its root file rotated away.
@Suite struct ProduceArchiveTests {
  @Test func everyPublishedFileIsArchivedAndALostOneIsResentFromTheArchive() async throws {
    let tree = try TemporaryTree()
    try tree.write("users/2021-01-01-00-00-00.csv", "h\n1\n")
    try tree.write("users/2021-01-02-00-00-00.csv", "h\n2\n")
    let archive = FileArchive(directory: tree.path + "-archive")
    defer { try? FileManager.default.removeItem(atPath: archive.directory) }
    let store = try ScratchLedger()
    let root = SourceRoot(provider: "p", path: tree.path)
    let first = RecordingPublisher()
    _ = try await ProduceRun(
      connection: store.connection, publisher: first, logger: quietLogger, options: .init(),
      archive: archive
    ).run([root])
    #expect(first.messages.count == 2)
    for message in first.messages {
      let copy = try #require(archive.held(message.identity, size: message.size))
      #expect(try FileHasher.sha256(path: copy).digest == message.sha256)
    }

    // The broker came back empty, and the extractor rotated the first file away.
    try FileManager.default.removeItem(atPath: tree.path + "/users/2021-01-01-00-00-00.csv")
    let emptyTopic = TopicProbe(topic: "t") { [0: PartitionWatermarks(low: 0, high: 0)] }
    let second = RecordingPublisher()
    let summary = try await ProduceRun(
      connection: store.connection, publisher: second, logger: quietLogger, options: .init(),
      topicProbe: emptyTopic, archive: archive
    ).run([root])
    #expect(second.messages.map(\.identity) == first.messages.map(\.identity))
    #expect(summary.unappliedNotOnDisk.isEmpty)
    #expect(summary.providers["p"]?.republishedLost == 2)

    // Without the archive, the rotated file cannot be sent again.
    let third = RecordingPublisher()
    let blind = try await ProduceRun(
      connection: store.connection, publisher: third, logger: quietLogger, options: .init(),
      topicProbe: emptyTopic
    ).run([root])
    #expect(third.paths == ["users/2021-01-02-00-00-00.csv"])
    #expect(blind.unappliedNotOnDisk == ["p/users/2021-01-01-00-00-00.csv"])
  }
}
