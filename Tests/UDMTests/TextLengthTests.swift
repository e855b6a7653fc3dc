import Testing

@testable import UDM

@Suite struct TextLengthTests {
  func count(_ text: String) -> Int {
    Array(text.utf8).withUnsafeBytes { TextLength.utf16Count($0) }
  }

  @Test func countsUTF16Units() {
    #expect(count("") == 0)
    #expect(count("abc") == 3)
    #expect(count("é") == 1)
    #expect(count("日本") == 2)
    #expect(count("😀") == 2)
    #expect(count("a😀é👍🏽") == 1 + 2 + 1 + 2 + 2)
    #expect(TextLength.utf16Count("a😀") == 3)
  }

  @Test func agreesWithTheStandardLibrary() {
    let text = "Ünïcödé 😀 text — 日本語 𝄞 \u{10FFFF}"
    #expect(count(text) == text.utf16.count)
  }

  @Test func cutNeverSplitsACharacter() {
    let text = "ab😀c"
    func keep(_ units: Int) -> Int {
      Array(text.utf8).withUnsafeBytes { TextLength.utf8PrefixLength($0, maxUTF16Units: units) }
    }
    #expect(keep(0) == 0)
    #expect(keep(2) == 2)
    // Three units would end inside the surrogate pair: the emoji is left out whole.
    #expect(keep(3) == 2)
    #expect(keep(4) == 6)
    #expect(keep(5) == 7)
    #expect(keep(100) == 7)
    #expect(TextLength.prefix("é日😀", maxUTF16Units: 3) == "é日")
  }

  @Test func descriptionCutTo1024() {
    let text = String(repeating: "x", count: 1023) + "😀" + "tail"
    let cut = TextLength.prefix(text, maxUTF16Units: 1024)
    #expect(cut == String(repeating: "x", count: 1023))
    #expect(
      TextLength.prefix(String(repeating: "é", count: 1024), maxUTF16Units: 1024).count == 1024)
  }
}
