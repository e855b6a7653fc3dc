import UDM

/// Rows streamed through `COPY … FROM STDIN`, encoded straight into a byte buffer that is handed
/// to libpq every ~256 KiB: in binary format where every column's type has a binary form here
/// (`columns`), else in text format.
///
/// Any failure ends the COPY at once, so the session is ready for the caller's ROLLBACK.
final class PostgresCopyWriter: BulkRowWriter {
  private static let flushThreshold = 256 * 1024
  /// The binary format's signature, flags and header extension length.
  private static let binaryHeader: [UInt8] =
    Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]

  private let connection: PostgresConnection
  private let table: String
  /// For messages: a refused value names its column.
  private let columnNames: [String]
  /// Each column's binary encoding; nil for the text format.
  private let columns: [PostgresCopyColumn]?
  private var buffer: [UInt8] = []
  private var field = 0
  private var rows = 0
  private var failure: DatabaseError?
  private var isOpen = true

  init(
    connection: PostgresConnection, table: String, columnNames: [String],
    columns: [PostgresCopyColumn]? = nil
  ) {
    self.connection = connection
    self.table = table
    self.columnNames = columnNames
    self.columns = columns
    buffer.reserveCapacity(Self.flushThreshold + 64 * 1024)
    if columns != nil { buffer.append(contentsOf: Self.binaryHeader) }
  }

  deinit { abandon() }

  /// Whether the rows go in binary format.
  var isBinary: Bool { columns != nil }

  private var columnCount: Int { columnNames.count }

  func appendNull() {
    startField()
    guard columns == nil else {
      appendBigEndian(Int32(-1))
      return
    }
    buffer.append(ASCII.backslash)
    buffer.append(ASCII.capitalN)
  }

  func append(_ value: Int64) {
    startField()
    if let columns {
      appendBinary(value, as: binaryColumn(columns))
      return
    }
    if value < 0 { buffer.append(ASCII.minus) }
    var magnitude = value.magnitude
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var start = 20
      repeat {
        start -= 1
        digits[start] = ASCII.zero + UInt8(magnitude % 10)
        magnitude /= 10
      } while magnitude > 0
      buffer.append(contentsOf: UnsafeMutableBufferPointer(rebasing: digits[start..<20]))
    }
  }

  func append(utf8: UnsafeRawBufferPointer) {
    startField()
    if let columns {
      appendBinary(utf8: utf8, as: binaryColumn(columns))
    } else {
      appendEscaped(utf8)
    }
  }

  func append(_ text: String) {
    var text = text
    text.withUTF8 { append(utf8: UnsafeRawBufferPointer($0)) }
  }

  func append(_ timestamp: LMSTimestamp) {
    guard let columns, field < columns.count, columns[field] == .timestamp else {
      return timestamp.withCanonicalUTF8 { append(utf8: $0) }
    }
    startField()
    appendBigEndian(Int32(8))
    appendBigEndian(timestamp.microsecondsSinceUnixEpoch - PostgresCopyColumn.epochMicroseconds)
  }

  func append(_ date: LMSDate) {
    guard let columns, field < columns.count, columns[field] == .date else {
      return date.withCanonicalUTF8 { append(utf8: $0) }
    }
    startField()
    appendBigEndian(Int32(4))
    appendBigEndian(
      Int32(truncatingIfNeeded: date.daysSinceUnixEpoch - PostgresCopyColumn.epochDays))
  }

  func endRow() throws {
    if let failure { throw fail(failure) }
    guard field == columnCount else {
      throw fail(
        DatabaseError(
          .usage,
          "PostgreSQL: bulk row \(rows + 1) for \(table) has \(field) fields, expected \(columnCount)"
        ))
    }
    if columns == nil { buffer.append(ASCII.newline) }
    field = 0
    rows += 1
    if buffer.count >= Self.flushThreshold { try flush() }
  }

  @discardableResult
  func finish() throws -> Int {
    if let failure { throw failure }
    guard isOpen else { return rows }
    if field != 0 {
      throw fail(DatabaseError(.usage, "PostgreSQL: bulk load into \(table) ended inside a row"))
    }
    if columns != nil { appendBigEndian(Int16(-1)) }
    try flush()
    isOpen = false
    connection.activeCopy = nil
    guard connection.session.putCopyEnd() else {
      throw fail(copyError(from: nil))
    }
    let (failed, success) = connection.drainResults()
    if let failed {
      let error = copyError(from: failed)
      failure = error
      throw error
    }
    return success?.affectedRows ?? rows
  }

  /// Ends the COPY without keeping its rows; a no-op once it has ended.
  func abandon() {
    guard isOpen else { return }
    isOpen = false
    buffer.removeAll()
    connection.cancelCopy(reason: "bulk load into \(table) abandoned by the client")
    if connection.activeCopy === self { connection.activeCopy = nil }
  }

  // MARK: - Encoding

  private func startField() {
    if columns != nil {
      if field == 0 { appendBigEndian(Int16(truncatingIfNeeded: columnCount)) }
    } else if field > 0 {
      buffer.append(ASCII.tab)
    }
    field += 1
  }

  // MARK: - Binary encoding

  /// The binary form of the field `startField` just began. A field past the last column fails
  /// the row at `endRow`, as in text format; until then it is encoded as text.
  private func binaryColumn(_ columns: [PostgresCopyColumn]) -> PostgresCopyColumn {
    field <= columns.count ? columns[field - 1] : .text
  }

  private func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
  }

  private func appendBinary(_ value: Int64, as column: PostgresCopyColumn) {
    switch column {
    case .int8:
      appendBigEndian(Int32(8))
      appendBigEndian(value)
    case .int4 where Int64(Int32.min)...Int64(Int32.max) ~= value:
      appendBigEndian(Int32(4))
      appendBigEndian(Int32(value))
    case .int2 where Int64(Int16.min)...Int64(Int16.max) ~= value:
      appendBigEndian(Int32(2))
      appendBigEndian(Int16(value))
    case .text:
      var digits = String(value)
      digits.withUTF8 { appendBinary(utf8: UnsafeRawBufferPointer($0), as: .text) }
    default:
      refuse(String(value), as: column)
    }
  }

  private func appendBinary(utf8 bytes: UnsafeRawBufferPointer, as column: PostgresCopyColumn) {
    switch column {
    case .text:
      appendBigEndian(Int32(bytes.count))
      buffer.append(contentsOf: bytes)
    case .timestamp:
      guard let microseconds = PostgresCopyColumn.microseconds(canonical: bytes) else {
        return refuse(bytes, as: column)
      }
      appendBigEndian(Int32(8))
      appendBigEndian(microseconds)
    case .date:
      guard let days = PostgresCopyColumn.days(canonical: bytes) else {
        return refuse(bytes, as: column)
      }
      appendBigEndian(Int32(4))
      appendBigEndian(Int32(truncatingIfNeeded: days))
    case .int2, .int4, .int8:
      guard let value = PostgresCopyColumn.integer(bytes) else { return refuse(bytes, as: column) }
      appendBinary(value, as: column)
    }
  }

  /// A value the column's binary form cannot hold: the row fails, as the server would fail it.
  private func refuse(_ bytes: UnsafeRawBufferPointer, as column: PostgresCopyColumn) {
    refuse(String(decoding: bytes, as: UTF8.self), as: column)
  }

  private func refuse(_ value: String, as column: PostgresCopyColumn) {
    appendBigEndian(Int32(-1))
    guard failure == nil else { return }
    let name = field <= columnNames.count ? columnNames[field - 1] : "\(field)"
    failure = DatabaseError(
      .statement,
      "PostgreSQL: invalid input for \(column) column \(name): '\(value.prefix(80))' in: COPY \(table), line \(rows + 1)",
      sqlState: "22P02")
  }

  /// Copies runs of ordinary bytes in one go and escapes the four bytes COPY's text format gives
  /// a meaning to.
  private func appendEscaped(_ bytes: UnsafeRawBufferPointer) {
    var runStart = 0
    for index in 0..<bytes.count {
      let byte = bytes[index]
      guard byte == ASCII.backslash || byte <= ASCII.carriageReturn else { continue }
      let escaped: UInt8
      switch byte {
      case ASCII.backslash: escaped = ASCII.backslash
      case ASCII.tab: escaped = ASCII.lowercaseT
      case ASCII.newline: escaped = ASCII.lowercaseN
      case ASCII.carriageReturn: escaped = ASCII.lowercaseR
      default: continue
      }
      if index > runStart {
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
      }
      buffer.append(ASCII.backslash)
      buffer.append(escaped)
      runStart = index + 1
    }
    if runStart < bytes.count {
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
    }
  }

  // MARK: - Sending

  private func flush() throws {
    guard !buffer.isEmpty else { return }
    if connection.cancelRequest.isSet {
      throw fail(DatabaseError(.statement, "PostgreSQL: bulk load into \(table) cancelled"))
    }
    let sent = buffer.withUnsafeBytes { connection.session.putCopyData($0) }
    buffer.removeAll(keepingCapacity: true)
    if !sent { throw fail(copyError(from: nil)) }
  }

  /// Records the failure and ends the COPY so that the session is usable again.
  private func fail(_ error: DatabaseError) -> DatabaseError {
    failure = error
    abandon()
    return error
  }

  /// The server's CONTEXT names the line and column of the COPY that failed.
  private func copyError(from result: LibPQResult?) -> DatabaseError {
    let error = PostgresErrorClassification.error(
      from: result, connection: connection.session, context: result?.errorField(.context))
    return error
  }
}

/// The bytes COPY's text format is written with.
private enum ASCII {
  static let tab: UInt8 = 0x09
  static let newline: UInt8 = 0x0A
  static let carriageReturn: UInt8 = 0x0D
  static let minus: UInt8 = 0x2D
  static let zero: UInt8 = 0x30
  static let capitalN: UInt8 = 0x4E
  static let backslash: UInt8 = 0x5C
  static let lowercaseN: UInt8 = 0x6E
  static let lowercaseR: UInt8 = 0x72
  static let lowercaseT: UInt8 = 0x74
}
