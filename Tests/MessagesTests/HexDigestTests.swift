import Messages
import Testing

struct HexDigestTests {
  @Test func everyByteIsTwoLowerCaseDigits() {
    #expect(
      [UInt8]([0x00, 0x09, 0x0a, 0x0f, 0x10, 0x9f, 0xa0, 0xff]).lowercaseHex == "00090a0f109fa0ff")
    #expect([UInt8]().lowercaseHex == "")
    #expect((0...255).map { UInt8($0) }.lowercaseHex.count == 512)
  }
}
