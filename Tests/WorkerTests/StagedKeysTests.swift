import Testing

@testable import Worker

@Suite struct StagedKeysTests {
  private func keys(_ rows: [(String, Int64)], limit: Int = 2_000_000) -> StagedKeys {
    let keys = StagedKeys(limit: limit)
    for (key, file) in rows {
      Array(key.utf8).withUnsafeBytes { keys.insert($0, fileNumber: file) }
    }
    return keys
  }

  @Test func distinctKeysNeedNeitherScan() {
    let staged = keys((1...10_000).map { ("u\($0)", Int64($0 % 7 + 1)) })
    #expect(!staged.mayRepeatWithinAFile)
    #expect(!staged.mayRepeatAcrossFiles)
  }

  @Test func aKeyTwiceInOneFileIsSeen() {
    let staged = keys([("a", 1), ("b", 1), ("c", 2), ("a", 1)])
    #expect(staged.mayRepeatWithinAFile)
    #expect(!staged.mayRepeatAcrossFiles)
  }

  @Test func aKeyInTwoFilesIsSeen() {
    let staged = keys([("a", 1), ("b", 1), ("a", 2)])
    #expect(!staged.mayRepeatWithinAFile)
    #expect(staged.mayRepeatAcrossFiles)
  }

  @Test func emptyKeysAreStagedAsNullAndNeverCollide() {
    let staged = keys([("", 1), ("", 1), ("", 2)])
    #expect(!staged.mayRepeatWithinAFile)
    #expect(!staged.mayRepeatAcrossFiles)
  }

  @Test func pastItsLimitEveryAnswerIsMaybe() {
    let staged = keys([("a", 1), ("b", 1), ("c", 2)], limit: 2)
    #expect(staged.mayRepeatWithinAFile)
    #expect(staged.mayRepeatAcrossFiles)
  }

  @Test func aFileNumberTooLargeToPackMakesEveryAnswerMaybe() {
    let staged = keys([("a", 1), ("b", 70_000)])
    #expect(staged.mayRepeatWithinAFile)
    #expect(staged.mayRepeatAcrossFiles)
  }
}
