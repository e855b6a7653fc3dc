import Foundation
import LMSDSTestSupport

/// A PNG's pixel size, from its IHDR chunk.
struct PNGSize {
  let width: Int
  let height: Int

  init(path: String) throws {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(24))
    guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    else { throw TestFailure("\(path) is not a PNG") }
    func number(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
    width = number(16)
    height = number(20)
  }
}
