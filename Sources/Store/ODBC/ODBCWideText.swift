import CODBC

/// unixODBC's SQLWCHAR is a UTF-16 code unit whatever the platform's wchar_t, so Swift's own
/// UTF-16 view converts both ways without a conversion library.
enum ODBCWideText {
  /// The text's code units followed by a NUL, for calls that also take an explicit length: the
  /// terminator keeps an empty string's buffer non-empty and satisfies drivers that ignore it.
  static func terminated(_ text: String) -> [SQLWCHAR] {
    var units: [SQLWCHAR] = []
    units.reserveCapacity(text.utf16.count + 1)
    units.append(contentsOf: text.utf16)
    units.append(0)
    return units
  }

  static func string(_ units: UnsafeBufferPointer<SQLWCHAR>) -> String {
    String(decoding: units, as: UTF16.self)
  }

  /// A string a driver wrote into `buffer`, given the byte count it reported.
  static func string(_ buffer: [SQLWCHAR], byteCount: Int) -> String {
    let count = max(0, min(buffer.count, byteCount / MemoryLayout<SQLWCHAR>.size))
    return buffer.withUnsafeBufferPointer { string(UnsafeBufferPointer(rebasing: $0[..<count])) }
  }
}
