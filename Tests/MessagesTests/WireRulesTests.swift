import Messages
import Testing

/// The rules the producer, the replay and the workers share: a change here changes the wire.
@Suite struct WireRulesTests {
  @Test func deadLetterTopicName() {
    #expect(Topics.deadLetter(of: "lms-files") == "lms-files.dlq")
  }

  @Test func keyIsTheProviderNameInUTF8() {
    #expect(FileMessage.key(for: "canvas-é") == Array("canvas-é".utf8))
  }

  @Test(arguments: ["", ".", "..", "a/b", "/", "a\u{0}b"])
  func namesThatAreNotOneDirectory(name: String) {
    #expect(!ProviderName(name).namesOneDirectory)
  }

  @Test(arguments: ["canvas", "...", "a b", "é"])
  func namesOfOneDirectory(name: String) {
    #expect(ProviderName(name).namesOneDirectory)
  }

  @Test func applyOrderIsRankThenTimestampThenPathBytes() {
    func order(_ resource: ResourceKind, _ time: String, _ path: String) -> ApplyOrder {
      ApplyOrder(resource: resource, nameTimestamp: NameTimestamp(time)!, relativePath: path)
    }
    let early = "2024-05-01 02:00:00"
    let late = "2024-05-02 02:00:00"
    #expect(ApplyOrder.precedes(order(.users, late, "b"), order(.sections, early, "a")))
    #expect(ApplyOrder.precedes(order(.users, early, "b"), order(.users, late, "a")))
    #expect(ApplyOrder.precedes(order(.users, early, "Z"), order(.users, early, "a")))
    #expect(!ApplyOrder.precedes(order(.users, early, "a"), order(.users, early, "a")))
  }
}
