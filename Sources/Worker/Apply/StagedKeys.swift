/// A fingerprint of every key a wave stages, with the file that staged it, to skip the two
/// whole-stage `GROUP BY`s that look for keys staged twice (within a file: duplicate keys; across
/// files: an order the wave cannot merge at once).
///
/// Each entry packs 48 bits of the key's hash with the file's number, 8 bytes a row. Distinct
/// fingerprints prove distinct keys, so a wave found clean here needs neither query; a repeated
/// fingerprint only means "maybe", and the exact SQL step runs. Past `limit` rows (or file numbers
/// too large to pack) it stops collecting and always answers "maybe": memory stays bounded.
final class StagedKeys {
  static let fileBits = 16
  let limit: Int
  private var entries: [UInt64] = []
  private var gaveUp = false
  private var sorted = false

  init(limit: Int = 2_000_000) { self.limit = limit }

  /// Notes one staged key of file `fileNumber` (empty keys are staged as NULL and never collide).
  func insert(_ key: UnsafeRawBufferPointer, fileNumber: Int64) {
    guard !gaveUp, key.count > 0 else { return }
    guard entries.count < limit, fileNumber >= 0, fileNumber < 1 << Self.fileBits else {
      gaveUp = true
      entries = []
      return
    }
    var hasher = Hasher()
    hasher.combine(bytes: key)
    let hash = UInt64(bitPattern: Int64(hasher.finalize()))
    entries.append((hash << UInt64(Self.fileBits)) | UInt64(fileNumber))
    sorted = false
  }

  /// Whether some key may appear twice within one file (false: certainly not).
  var mayRepeatWithinAFile: Bool { findRepeats().withinAFile }

  /// Whether some key may appear in two files (false: certainly not).
  var mayRepeatAcrossFiles: Bool { findRepeats().acrossFiles }

  private func findRepeats() -> (withinAFile: Bool, acrossFiles: Bool) {
    if gaveUp { return (true, true) }
    if !sorted {
      entries.sort()
      sorted = true
    }
    var within = false
    var across = false
    let fileMask: UInt64 = (1 << UInt64(Self.fileBits)) - 1
    var index = 1
    while index < entries.count, !(within && across) {
      let previous = entries[index - 1]
      let current = entries[index]
      if previous >> UInt64(Self.fileBits) == current >> UInt64(Self.fileBits) {
        if previous & fileMask == current & fileMask { within = true } else { across = true }
      }
      index += 1
    }
    return (within, across)
  }
}
