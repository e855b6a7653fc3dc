/// Statement parameters in libpq's text format: every value laid out NUL-terminated in one
/// buffer, so a statement costs one allocation however many parameters it has.
struct LibPQParameters {
  private var storage: [CChar] = []
  /// Start of each value in `storage`; nil for SQL NULL.
  private var offsets: [Int?] = []

  init(_ values: [SQLValue]) throws(DatabaseError) {
    offsets.reserveCapacity(values.count)
    for (index, value) in values.enumerated() {
      switch value {
      case .null:
        offsets.append(nil)
      case .integer(let number):
        append(String(number))
      case .real(let number):
        append(Self.text(of: number))
      case .text(let text):
        // A NUL would silently cut the value short; PostgreSQL text cannot hold one anyway.
        if text.utf8.contains(0) {
          throw DatabaseError(
            .usage, "PostgreSQL: parameter $\(index + 1) contains a NUL character")
        }
        append(text)
      }
    }
  }

  var count: Int { offsets.count }

  private mutating func append(_ text: String) {
    offsets.append(storage.count)
    for byte in text.utf8 { storage.append(CChar(bitPattern: byte)) }
    storage.append(0)
  }

  /// PostgreSQL spells the special values its own way; Swift's "inf" and "nan" are not all accepted.
  private static func text(of number: Double) -> String {
    if number.isNaN { return "NaN" }
    if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
    return String(number)
  }

  func withCStrings<Result>(_ body: ([UnsafePointer<CChar>?]) -> Result) -> Result {
    storage.withUnsafeBufferPointer { buffer in
      body(offsets.map { offset in offset.map { buffer.baseAddress! + $0 } })
    }
  }
}
