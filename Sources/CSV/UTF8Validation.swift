/// Streaming UTF-8 validation of a byte range, run once over each chunk as it is read so that the
/// field scanner never has to think about encodings.
enum UTF8Validation {
  enum Failure {
    case invalid
    case nul
  }

  struct Outcome {
    /// Bytes before this offset are complete, valid characters. Less than the range end when a
    /// character is cut by the chunk end (it is validated again once the rest arrives) or when
    /// `failure` is set (the failure is at this offset).
    var validEnd: Int
    var failure: Failure?
  }

  /// Validates `base[start..<end]`. A character cut short at `end` is not an error here: the
  /// caller decides whether more bytes can still come.
  static func validate(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Outcome {
    var index = start
    while index < end {
      // Most CSV text is ASCII: take it eight bytes at a time. A word passes when no byte has
      // its high bit set and no byte is zero (the classic "has a zero byte" bit trick).
      while index + 8 <= end {
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        let zeroBytes = (word &- 0x0101_0101_0101_0101) & ~word
        if (word | zeroBytes) & 0x8080_8080_8080_8080 != 0 { break }
        index += 8
      }
      if index >= end { break }
      let lead = base[index]
      if lead < 0x80 {
        if lead == 0 { return Outcome(validEnd: index, failure: .nul) }
        index += 1
        continue
      }
      // The second byte's allowed range is what excludes overlong forms (E0, F0), surrogates
      // (ED) and code points above U+10FFFF (F4); later bytes are plain continuations.
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        high = 0x9F
      case 0xF0:
        length = 4
        low = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        high = 0x8F
      default: return Outcome(validEnd: index, failure: .invalid)
      }
      // Check what is present even when the character is cut, so an error is not deferred.
      let available = min(length, end - index)
      if available >= 2 {
        let second = base[index + 1]
        if second < low || second > high { return Outcome(validEnd: index, failure: .invalid) }
      }
      var offset = 2
      while offset < available {
        if base[index + offset] & 0xC0 != 0x80 {
          return Outcome(validEnd: index, failure: .invalid)
        }
        offset += 1
      }
      if available < length { return Outcome(validEnd: index, failure: nil) }
      index += length
    }
    return Outcome(validEnd: end, failure: nil)
  }
}
