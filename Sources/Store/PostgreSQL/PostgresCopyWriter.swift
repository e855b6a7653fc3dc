/// Rows streamed through `COPY … FROM STDIN` in text format, encoded straight into a byte buffer
/// that is handed to libpq every ~256 KiB.
///
/// Any failure ends the COPY at once, so the session is ready for the caller's ROLLBACK.
final class PostgresCopyWriter: BulkRowWriter {
  private static let flushThreshold = 256 * 1024

  private let connection: PostgresConnection
  private let table: String
  private let columnCount: Int
  private var buffer: [UInt8] = []
  private var field = 0
  private var rows = 0
  private var failure: DatabaseError?
  private var isOpen = true

  init(connection: PostgresConnection, table: String, columnCount: Int) {
    self.connection = connection
    self.table = table
    self.columnCount = columnCount
    buffer.reserveCapacity(Self.flushThreshold + 64 * 1024)
  }

  deinit { abandon() }

  func appendNull() {
    startField()
    buffer.append(ASCII.backslash)
    buffer.append(ASCII.capitalN)
  }

  func append(_ value: Int64) {
    startField()
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
    appendEscaped(utf8)
  }

  func append(_ text: String) {
    startField()
    var text = text
    text.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0)) }
  }

  func endRow() throws {
    if let failure { throw failure }
    guard field == columnCount else {
      throw fail(
        DatabaseError(
          .usage,
          "PostgreSQL: bulk row \(rows + 1) for \(table) has \(field) fields, expected \(columnCount)"
        ))
    }
    buffer.append(ASCII.newline)
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
    if field > 0 { buffer.append(ASCII.tab) }
    field += 1
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
