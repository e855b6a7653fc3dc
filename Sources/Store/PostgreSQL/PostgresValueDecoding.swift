/// Turns a column value in PostgreSQL's text format into an `SQLValue`, by the column's type OID.
enum PostgresValueDecoding {
  static let bool: UInt32 = 16
  static let int8: UInt32 = 20
  static let int2: UInt32 = 21
  static let int4: UInt32 = 23
  static let float4: UInt32 = 700
  static let float8: UInt32 = 701
  static let numeric: UInt32 = 1700

  static func value(type: UInt32, bytes: UnsafeBufferPointer<UInt8>?) -> SQLValue {
    guard let bytes else { return .null }
    switch type {
    case int2, int4, int8:
      if let number = integer(bytes) { return .integer(number) }
    case bool:
      return .integer(bytes.first == UInt8(ascii: "t") ? 1 : 0)
    case float4, float8:
      if let number = Double(text(bytes)) { return .real(number) }
    case numeric:
      // sum() and count-like arithmetic over integers yield numeric; keeping whole numbers as
      // integers gives the same values SQLite returns for the same query.
      if let number = integer(bytes) { return .integer(number) }
      if let number = Double(text(bytes)) { return .real(number) }
    default:
      break
    }
    return .text(text(bytes))
  }

  static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self)
  }

  /// Parses an optionally signed run of decimal digits; nil for anything else or on overflow.
  static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    var index = 0
    var negative = false
    if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      index = 1
    }
    guard index < bytes.count else { return nil }
    // Accumulate downwards so that Int64.min parses without overflow.
    var value: Int64 = 0
    while index < bytes.count {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (next, overflow2) = shifted.subtractingReportingOverflow(Int64(digit))
      if overflow1 || overflow2 { return nil }
      value = next
      index += 1
    }
    if negative { return value }
    return value == .min ? nil : -value
  }
}
