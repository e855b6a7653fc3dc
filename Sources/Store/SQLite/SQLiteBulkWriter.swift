import CSQLite
import Dispatch
import Foundation

/// Rows through one prepared INSERT. The caller's rows are packed into chunks, and each chunk is
/// bound and stepped on a queue of the writer's own while the caller reads and checks the next
/// rows: parsing a night's files and SQLite's inserts of their rows overlap instead of taking
/// turns (SQLite runs in the loader's process, on the caller's thread otherwise).
///
/// The connection belongs to the writer from `makeBulkWriter` until `finish` or the writer's
/// release, which both wait for the queue: the connection is opened without a mutex, so nothing
/// else may use it meanwhile. A failed insert is reported by the `endRow` or `finish` that follows
/// it, and the rows after it are not inserted.
final class SQLiteBulkWriter: BulkRowWriter {
  /// A chunk is handed over once it holds this many bytes; two may wait, one is being filled.
  static let chunkBytes = 256 * 1024

  private let connection: SQLiteConnection
  private let columnCount: Int32
  private let inserter: ChunkInserter
  private var chunk: [UInt8] = []
  private var field: Int32 = 0
  private var rowsAppended = 0
  private var finished = false

  init(connection: SQLiteConnection, statement: OpaquePointer, columnCount: Int) {
    self.connection = connection
    self.columnCount = Int32(columnCount)
    sqlite3_reset(statement)
    sqlite3_clear_bindings(statement)
    inserter = ChunkInserter(
      connection: connection, statement: statement, columnCount: Int32(columnCount))
  }

  deinit {
    guard !finished else { return }
    inserter.drain()
    inserter.release()
  }

  func appendNull() {
    field += 1
    chunk.append(ChunkInserter.null)
  }

  func append(_ value: Int64) {
    field += 1
    chunk.append(ChunkInserter.integer)
    withUnsafeBytes(of: value) { chunk.append(contentsOf: $0) }
  }

  func append(utf8: UnsafeRawBufferPointer) {
    field += 1
    chunk.append(ChunkInserter.text)
    withUnsafeBytes(of: UInt32(utf8.count)) { chunk.append(contentsOf: $0) }
    chunk.append(contentsOf: utf8)
  }

  func append(_ text: String) {
    var text = text
    text.withUTF8 { append(utf8: UnsafeRawBufferPointer($0)) }
  }

  func endRow() throws {
    if let failure = inserter.failure { throw failure }
    guard field == columnCount else {
      throw DatabaseError(.usage, "bulk row has \(field) fields, expected \(columnCount)")
    }
    field = 0
    rowsAppended += 1
    if rowsAppended % 1024 == 0, connection.interrupter.request.isSet {
      throw ChunkInserter.cancelled
    }
    if chunk.count >= Self.chunkBytes { handOver() }
  }

  func finish() throws -> Int {
    handOver()
    inserter.drain()
    inserter.release()
    finished = true
    if let failure = inserter.failure { throw failure }
    return inserter.rows
  }

  private func handOver() {
    guard !chunk.isEmpty else { return }
    inserter.insert(chunk)
    chunk.removeAll(keepingCapacity: true)
  }
}

/// Binds and steps the chunks of one writer, in order, on a serial queue.
///
/// `@unchecked Sendable`: the statement and the connection are only used on the queue while the
/// writer is open (the writer's owner leaves the connection alone meanwhile), and after `drain`
/// on the owner's thread; `failure` and `rows` are only touched under `lock`.
private final class ChunkInserter: @unchecked Sendable {
  static let null: UInt8 = 0
  static let integer: UInt8 = 1
  static let text: UInt8 = 2
  static let cancelled = DatabaseError(.statement, "SQLite: bulk load cancelled")

  private let connection: SQLiteConnection
  private let statement: OpaquePointer
  private let columnCount: Int32
  private let queue = DispatchQueue(label: "lmsds-sqlite-bulk-writer")
  private let room = DispatchSemaphore(value: 2)
  private let lock = NSLock()
  private var firstFailure: DatabaseError?
  private var stepped = 0

  init(connection: SQLiteConnection, statement: OpaquePointer, columnCount: Int32) {
    self.connection = connection
    self.statement = statement
    self.columnCount = columnCount
  }

  var failure: DatabaseError? { lock.withLock { firstFailure } }
  var rows: Int { lock.withLock { stepped } }

  /// Queues a chunk, waiting while two are queued already.
  func insert(_ chunk: [UInt8]) {
    room.wait()
    queue.async { [self] in
      defer { room.signal() }
      guard failure == nil else { return }
      do {
        let count = try step(chunk)
        lock.withLock { stepped += count }
      } catch {
        let failure = error as? DatabaseError ?? DatabaseError(.statement, "SQLite: \(error)")
        lock.withLock { firstFailure = firstFailure ?? failure }
      }
    }
  }

  /// Waits until every queued chunk is stepped (or skipped after a failure).
  func drain() { queue.sync {} }

  /// Leaves the cached statement as a new writer expects it, its bindings (pointers into chunks
  /// now gone) cleared.
  func release() {
    sqlite3_reset(statement)
    sqlite3_clear_bindings(statement)
  }

  private func step(_ chunk: [UInt8]) throws -> Int {
    if connection.interrupter.request.isSet { throw Self.cancelled }
    return try chunk.withUnsafeBytes { bytes in
      var rows = 0
      var offset = 0
      while offset < bytes.count {
        for column in 1...columnCount {
          let tag = bytes[offset]
          offset += 1
          let status: Int32
          switch tag {
          case Self.null:
            status = sqlite3_bind_null(statement, column)
          case Self.integer:
            let value = bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)
            offset += 8
            status = sqlite3_bind_int64(statement, column, value)
          default:
            let count = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            offset += 4
            // SQLITE_STATIC (nil): the chunk outlives the step that reads the text. A field
            // bound as empty text needs a pointer even at the chunk's end; nil would bind NULL.
            let text = bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self)
            status = sqlite3_bind_text(statement, column, text, Int32(count), nil)
            offset += count
          }
          guard status == SQLITE_OK else {
            throw connection.error(status, connection.lastErrorMessage)
          }
        }
        let status = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard status == SQLITE_DONE else {
          throw connection.error(status, connection.lastErrorMessage)
        }
        rows += 1
      }
      return rows
    }
  }
}
