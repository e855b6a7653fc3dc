import CLibPQ

/// Owns one libpq session. Every call the driver makes on a `PGconn` goes through here, so the
/// rest of the driver never holds a C pointer and the connection is finished exactly once.
final class LibPQConnection {
  private let pointer: OpaquePointer
  /// Kept alive as long as the session: libpq holds an unretained pointer to it.
  private let noticeSink = LibPQNoticeSink()

  /// A failed attempt, with libpq's own explanation.
  struct ConnectFailure: Error {
    let message: String
  }

  /// Connects with keyword/value arrays, never a connection string, so no value is parsed as
  /// one (`expand_dbname` is 0) and no password is formatted into text.
  init(parameters: [(keyword: String, value: String)]) throws(ConnectFailure) {
    let keywords = parameters.map { CStringCopy($0.keyword) }
    let values = parameters.map { CStringCopy($0.value) }
    defer {
      for keyword in keywords { keyword.release() }
      // The password is among the values: wipe the copies before handing the memory back.
      for value in values { value.release(wiping: true) }
    }
    let keywordPointers: [UnsafePointer<CChar>?] =
      keywords.map { UnsafePointer($0.pointer) } + [nil]
    let valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0.pointer) } + [nil]
    guard let connection = PQconnectdbParams(keywordPointers, valuePointers, 0) else {
      throw ConnectFailure(message: "out of memory")
    }
    guard PQstatus(connection) == CONNECTION_OK else {
      let message = Self.trimmed(PQerrorMessage(connection))
      PQfinish(connection)
      throw ConnectFailure(message: message)
    }
    pointer = connection
    PQsetNoticeProcessor(
      connection, forwardLibPQNotice, Unmanaged.passUnretained(noticeSink).toOpaque())
  }

  deinit { PQfinish(pointer) }

  var noticeHandler: ((String) -> Void)? {
    get { noticeSink.handler }
    set { noticeSink.handler = newValue }
  }

  var isConnected: Bool { PQstatus(pointer) == CONNECTION_OK }

  var isInTransaction: Bool {
    let status = PQtransactionStatus(pointer)
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
  }

  /// A cancel request for this session. libpq's cancel object holds its own copy of the server
  /// address and key, so it stays valid after the session ends.
  func makeCanceller(request: CancelRequest) -> LibPQCanceller? {
    PQgetCancel(pointer).map { LibPQCanceller($0, request: request) }
  }

  /// libpq's last message for this session, for failures that come without a result.
  var errorMessage: String { Self.trimmed(PQerrorMessage(pointer)) }

  /// Reconnects with the parameters of the first connection; the notice processor survives.
  func reset() -> Bool {
    PQreset(pointer)
    return isConnected
  }

  func exec(_ sql: String) -> LibPQResult? {
    PQexec(pointer, sql).map(LibPQResult.init)
  }

  /// Parameters in text format with types left for the server to infer from the statement, so
  /// one textual value serves an integer, numeric, date or text column alike.
  func exec(_ sql: String, parameters: LibPQParameters) -> LibPQResult? {
    parameters.withCStrings { values in
      PQexecParams(pointer, sql, Int32(values.count), nil, values, nil, nil, 0)
    }.map(LibPQResult.init)
  }

  func prepare(name: String, sql: String) -> LibPQResult? {
    PQprepare(pointer, name, sql, 0, nil).map(LibPQResult.init)
  }

  func execPrepared(name: String, parameters: LibPQParameters) -> LibPQResult? {
    parameters.withCStrings { values in
      PQexecPrepared(pointer, name, Int32(values.count), values, nil, nil, 0)
    }.map(LibPQResult.init)
  }

  /// Blocks until libpq has queued the bytes; false when the session broke.
  func putCopyData(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return true }
    return PQputCopyData(pointer, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) == 1
  }

  /// Ends COPY IN; with a reason the server aborts the command instead of committing the rows.
  func putCopyEnd(failure reason: String? = nil) -> Bool {
    PQputCopyEnd(pointer, reason) == 1
  }

  /// The next result of the command in flight, nil when it is complete.
  func nextResult() -> LibPQResult? {
    PQgetResult(pointer).map(LibPQResult.init)
  }

  static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
    guard let message else { return "" }
    var text = String(cString: message)
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return text
  }
}
