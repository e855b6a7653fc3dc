import CODBC

/// The values one parameter takes over the rows of a parameter array (one row for a plain
/// statement), kept compactly until they are laid out for the driver.
struct ODBCParameterColumn {
  private enum Kind: UInt8 { case null, integer, real, text }

  private var kinds: [Kind] = []
  private var numbers: [Int64] = []
  private var textUnits: [UInt16] = []
  /// Where each row's text starts in `textUnits` and how long it is; zeros for other kinds.
  private var textStarts: [Int] = []
  private var textCounts: [Int] = []

  var count: Int { kinds.count }
  /// The longest text so far, in UTF-16 units: every row's slot will be this wide.
  private(set) var widestText = 0

  mutating func reserveCapacity(_ rows: Int) {
    kinds.reserveCapacity(rows)
    numbers.reserveCapacity(rows)
    textStarts.reserveCapacity(rows)
    textCounts.reserveCapacity(rows)
  }

  mutating func append(_ value: SQLValue) {
    switch value {
    case .null: appendNull()
    case .integer(let number): append(number)
    case .real(let number): appendRow(.real, number: Int64(bitPattern: number.bitPattern))
    case .text(let text): append(text)
    }
  }

  mutating func appendNull() { appendRow(.null) }

  mutating func append(_ number: Int64) { appendRow(.integer, number: number) }

  mutating func append(_ text: String) {
    let start = textUnits.count
    textUnits.append(contentsOf: text.utf16)
    appendRow(.text, textStart: start, textCount: textUnits.count - start)
  }

  /// UTF-8 bytes go straight to UTF-16, without a String in between.
  mutating func append(utf8 bytes: UnsafeRawBufferPointer) {
    let start = textUnits.count
    _ = transcode(
      bytes.bindMemory(to: UInt8.self).makeIterator(), from: UTF8.self, to: UTF16.self,
      stoppingOnError: false
    ) { textUnits.append($0) }
    appendRow(.text, textStart: start, textCount: textUnits.count - start)
  }

  mutating func removeAll() {
    widestText = 0
    kinds.removeAll(keepingCapacity: true)
    numbers.removeAll(keepingCapacity: true)
    textUnits.removeAll(keepingCapacity: true)
    textStarts.removeAll(keepingCapacity: true)
    textCounts.removeAll(keepingCapacity: true)
  }

  private mutating func appendRow(
    _ kind: Kind, number: Int64 = 0, textStart: Int = 0, textCount: Int = 0
  ) {
    kinds.append(kind)
    widestText = max(widestText, textCount)
    numbers.append(number)
    textStarts.append(textStart)
    textCounts.append(textCount)
  }

  // MARK: - Layout

  /// The rows laid out as one column-wise parameter array. A column whose values all share one
  /// kind keeps it (integers as SQL_BIGINT, reals as SQL_DOUBLE); a mixed column goes as text,
  /// which every database converts back to the column's type.
  func makeArray() -> ODBCParameterArray {
    var kind: Kind = .null
    var mixed = false
    for rowKind in kinds where rowKind != .null {
      if kind == .null {
        kind = rowKind
      } else if kind != rowKind {
        mixed = true
        break
      }
    }
    if mixed { kind = .text }
    switch kind {
    case .integer:
      return fixedWidthArray(cType: SQL_C_SBIGINT, sqlType: SQL_BIGINT, columnSize: 19)
    case .real:
      return fixedWidthArray(cType: SQL_C_DOUBLE, sqlType: SQL_DOUBLE, columnSize: 15)
    case .null, .text:
      return textArray()
    }
  }

  /// Integers and reals: eight bytes a row, NULLs flagged in the indicator only.
  private func fixedWidthArray(cType: Int32, sqlType: Int32, columnSize: Int) -> ODBCParameterArray
  {
    let array = ODBCParameterArray(
      rows: count, elementByteCount: 8, cType: cType, sqlType: sqlType, columnSize: columnSize)
    let values = array.values.assumingMemoryBound(to: Int64.self)
    for row in 0..<count {
      values[row] = numbers[row]
      array.indicators[row] = kinds[row] == .null ? SQLLEN(SQL_NULL_DATA) : 8
    }
    return array
  }

  /// Text rows in fixed-width slots as wide as the longest value, each with its exact length
  /// in bytes: text may hold a NUL, so no terminator is relied on.
  private func textArray() -> ODBCParameterArray {
    var widest = 0
    for row in 0..<count {
      widest = max(widest, kinds[row] == .text ? textCounts[row] : formatted(row).utf16.count)
    }
    // A column size of 0 means "unbounded" to some drivers and is rejected by others.
    let width = max(1, widest)
    let unitSize = MemoryLayout<UInt16>.size
    // SQL Server's nvarchar stops at 4,000 characters; longer values must be sent as
    // nvarchar(max), which ODBC calls SQL_WLONGVARCHAR.
    let sqlType = width > 4000 ? SQL_WLONGVARCHAR : SQL_WVARCHAR
    let array = ODBCParameterArray(
      rows: count, elementByteCount: width * unitSize, cType: SQL_C_WCHAR, sqlType: sqlType,
      columnSize: width)
    let slots = array.values.assumingMemoryBound(to: UInt16.self)
    textUnits.withUnsafeBufferPointer { units in
      for row in 0..<count {
        let slot = slots + row * width
        switch kinds[row] {
        case .null:
          array.indicators[row] = SQLLEN(SQL_NULL_DATA)
        case .text:
          let length = textCounts[row]
          if length > 0 {
            slot.update(from: units.baseAddress! + textStarts[row], count: length)
          }
          array.indicators[row] = SQLLEN(length * unitSize)
        case .integer, .real:
          let formatted = Array(formatted(row).utf16)
          slot.update(from: formatted, count: formatted.count)
          array.indicators[row] = SQLLEN(formatted.count * unitSize)
        }
      }
    }
    return array
  }

  private func formatted(_ row: Int) -> String {
    switch kinds[row] {
    case .integer: return String(numbers[row])
    case .real: return String(Double(bitPattern: UInt64(bitPattern: numbers[row])))
    case .null, .text: return ""
    }
  }
}
