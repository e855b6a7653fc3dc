/// An integer field's value (lms-udm §2): `[+-]?digits`, optionally `.digits`, after the
/// whitespace rule. The columns are 32-bit (`integer` on every dialect).
public enum IntegerValue: Hashable, Sendable {
  /// `rounded` says a non-zero fraction was rounded half away from zero (`8.5` → 9); the ledger
  /// counts such values. `8.0` is 8 and not rounded.
  case value(Int32, rounded: Bool)
  /// Not of the accepted form (`1e3`, `.5`, `5.`, `1,000`, empty after trimming).
  case malformed
  /// Well formed, but outside −2³¹…2³¹−1 after rounding.
  case outOfRange

  public init(parsing bytes: UnsafeRawBufferPointer) {
    let text = ValueWhitespace.trimmed(bytes)
    var index = 0
    var negative = false
    if index < text.count && (text[index] == 0x2B || text[index] == 0x2D) {
      negative = text[index] == 0x2D
      index += 1
    }
    // Saturates far above the range so any number of digits (leading zeros included) is read
    // without overflow; the range check comes after rounding.
    let saturation: Int64 = 1 << 40
    var magnitude: Int64 = 0
    var digits = 0
    while index < text.count, case let digit = text[index] &- 0x30, digit < 10 {
      magnitude = min(magnitude * 10 + Int64(digit), saturation)
      digits += 1
      index += 1
    }
    guard digits > 0 else {
      self = .malformed
      return
    }
    var rounded = false
    if index < text.count && text[index] == 0x2E {
      index += 1
      var fractionDigits = 0
      var roundsUp = false
      while index < text.count, case let digit = text[index] &- 0x30, digit < 10 {
        if fractionDigits == 0 { roundsUp = digit >= 5 }
        if digit != 0 { rounded = true }
        fractionDigits += 1
        index += 1
      }
      guard fractionDigits > 0 else {
        self = .malformed
        return
      }
      if roundsUp { magnitude += 1 }
    }
    guard index == text.count else {
      self = .malformed
      return
    }
    let signed = negative ? -magnitude : magnitude
    guard let value = Int32(exactly: signed) else {
      self = .outOfRange
      return
    }
    self = .value(value, rounded: rounded)
  }

  public init(_ text: String) {
    var text = text
    self = text.withUTF8 { IntegerValue(parsing: UnsafeRawBufferPointer($0)) }
  }
}
