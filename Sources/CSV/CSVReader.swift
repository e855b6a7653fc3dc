#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A streaming reader of LMS-UDM CSV files (lms-udm §2), one record at a time, over raw bytes.
///
/// Memory stays bounded: one buffer (1 MiB by default) holds the current record and what was read
/// after it; it grows only when a single record is larger than the buffer. Fields are handed out
/// as byte ranges into that buffer, unescaped in place, so no `String` is built per field.
///
/// Format: UTF-8 (a leading byte-order mark is skipped), `,` separator, `"` quoting with `""`
/// for a quote, quoted fields may hold `,` and line ends, line ends LF, CRLF or CR, and the last
/// record may lack its line end. `CSVError` is thrown for input that is not UTF-8, a NUL
/// character, a quote still open at the end of the file, or anything but `,` or a line end after
/// a closing quote. Records before the offending one may already have been returned: the caller
/// rejects the whole file anyway (load-semantics §4).
///
/// A `"` inside a field that does not start with `"` (`ab"c`, or ` "x"` with a leading space) is
/// an ordinary character of that field, as in Python's `csv` module and pandas, which read these
/// files for the Ed-Fi loader: the spec lists no such error, and rejecting a whole roster for a
/// stray quote in a title would lose data for no gain.
///
/// Field counts are not checked here: a record whose count differs from the header's is a row
/// error for the caller (load-semantics §5), not a file error.
public final class CSVReader {
  private struct FieldSlot {
    var start: Int
    var count: Int
    var quoted: Bool
    var hasEscapedQuotes: Bool
  }

  private struct PendingFailure {
    var position: Int
    var kind: CSVError.Kind
    var detail: String
  }

  private static let quote: UInt8 = 0x22
  private static let comma: UInt8 = 0x2C
  private static let lineFeed: UInt8 = 0x0A
  private static let carriageReturn: UInt8 = 0x0D

  private let fileDescriptor: Int32
  private let path: String
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  /// Bytes read into the buffer.
  private var end = 0
  /// Bytes before this offset are validated UTF-8; the scanner never looks past it.
  private var validatedEnd = 0
  /// The first encoding error found, reported once the scanner reaches it.
  private var pendingFailure: PendingFailure?
  private var reachedEndOfFile = false
  private var checkedByteOrderMark = false

  private var recordStart = 0
  private var recordEnd = 0
  private var nextLine = 1

  private var fields: UnsafeMutablePointer<FieldSlot>
  private var fieldCapacity = 16

  /// 1-based physical line where the current record starts.
  public private(set) var line = 0
  /// Number of fields of the current record (an empty line has one empty field).
  public private(set) var fieldCount = 0

  /// Opens a file for reading with `open(2)`; it is read with `read(2)` as records are consumed.
  /// Sees every byte read from the file, in order (to hash what is actually parsed).
  public var onBytesRead: ((UnsafeRawBufferPointer) -> Void)?
  /// Whether the whole input has been read.
  public var readToEnd: Bool { reachedEndOfFile }

  /// The longest record (one CSV row, quoted line breaks included) a file may hold: what bounds
  /// the reader's memory whatever the input. 16 MiB by default.
  public static let defaultMaxRecordBytes = 16 << 20
  private var maxRecordBytes = Int.max

  public init(
    path: String, bufferSize: Int = 1 << 20, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes
  ) throws {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw CSVError(
        kind: .io, line: 0, column: 0, detail: "cannot open \(path): \(Self.systemMessage())")
    }
    self.fileDescriptor = descriptor
    self.path = path
    self.capacity = max(1, min(bufferSize, maxRecordBytes))
    self.maxRecordBytes = max(1, maxRecordBytes)
    self.buffer = .allocate(capacity: capacity)
    self.fields = .allocate(capacity: fieldCapacity)
  }

  /// Reads from memory; the whole input is the buffer.
  public init(bytes: [UInt8]) {
    self.fileDescriptor = -1
    self.path = "<memory>"
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
    bytes.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { storage.update(from: base, count: source.count) }
    }
    self.capacity = max(bytes.count, 1)
    self.buffer = storage
    self.end = bytes.count
    self.reachedEndOfFile = true
    self.fields = .allocate(capacity: fieldCapacity)
    validateNewBytes()
  }

  deinit {
    if fileDescriptor >= 0 { close(fileDescriptor) }
    buffer.deallocate()
    fields.deallocate()
  }

  /// Advances to the next record; `false` at the end of the input. Field bytes handed out for
  /// the previous record are invalid from here on.
  public func next() throws -> Bool {
    recordStart = recordEnd
    line = nextLine
    fieldCount = 0
    while true {
      if recordStart == validatedEnd {
        if reachedEndOfFile && pendingFailure == nil { return false }
        try refill()
        continue
      }
      if !checkedByteOrderMark {
        checkedByteOrderMark = true
        // The validator only passes whole characters, so a leading EF means all three bytes
        // of the (only) three-byte character starting with EF BB BF are present.
        if buffer[recordStart] == 0xEF && buffer[recordStart + 1] == 0xBB
          && buffer[recordStart + 2] == 0xBF
        {
          recordStart += 3
          continue
        }
      }
      if try scanRecord() {
        unescapeQuotedFields()
        return true
      }
      try refill()
    }
  }

  /// The record is an empty line, or only spaces and tabs and not quoted: callers skip it.
  public var isBlank: Bool {
    guard fieldCount == 1, !fields[0].quoted else { return false }
    let slot = fields[0]
    for index in slot.start..<(slot.start + slot.count) {
      let byte = buffer[index]
      if byte != 0x20 && byte != 0x09 { return false }
    }
    return true
  }

  /// The field's bytes, unescaped, valid UTF-8; empty for an empty field, quoted or not. The
  /// pointer is valid only inside `body`.
  @inline(__always)
  public func withField<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows
    -> R
  {
    precondition(index >= 0 && index < fieldCount, "field index out of range")
    let slot = fields[index]
    return try body(UnsafeRawBufferPointer(start: buffer + slot.start, count: slot.count))
  }

  /// The field as a `String`: for headers and messages, not for the per-row path.
  public func field(_ index: Int) -> String {
    withField(index) { String(decoding: $0, as: UTF8.self) }
  }

  /// The field was written between quotes (so `""` is an empty value, not a missing one).
  public func isQuoted(_ index: Int) -> Bool {
    precondition(index >= 0 && index < fieldCount, "field index out of range")
    return fields[index].quoted
  }

  /// Where the field starts (its opening quote if quoted): 1-based physical line and character
  /// column, for reporting a bad value.
  public func position(ofField index: Int) -> (line: Int, column: Int) {
    precondition(index >= 0 && index < fieldCount, "field index out of range")
    let slot = fields[index]
    return position(of: slot.quoted ? slot.start - 1 : slot.start)
  }

  // MARK: - Scanning

  /// Finds the fields of the record at `recordStart`. Returns `false` when the record runs past
  /// the validated bytes and more may come; the caller refills and the scan starts over from
  /// the record start (cheap: a record rarely straddles a 1 MiB refill).
  private func scanRecord() throws -> Bool {
    let base = buffer
    let limit = validatedEnd
    let atEnd = reachedEndOfFile && pendingFailure == nil
    var position = recordStart
    var newlines = 0
    fieldCount = 0

    while true {
      // At the start of a field.
      if position == limit {
        // Only reached after a comma: the record ends with an empty field.
        guard atEnd else { return false }
        appendField(start: position, count: 0, quoted: false, escaped: false)
        finishRecord(at: position, newlines: newlines, endedByLineEnd: false)
        return true
      }
      if base[position] == Self.quote {
        let opening = position
        var cursor = position + 1
        var escaped = false
        var fieldNewlines = 0
        while true {
          while true {
            cursor = ByteSearch.firstQuoteOrLineEnd(base, from: cursor, to: limit)
            guard cursor < limit, base[cursor] != Self.quote else { break }
            // A CR LF pair is one line end: count the CR, and an LF only when alone.
            if base[cursor] == Self.carriageReturn || base[cursor - 1] != Self.carriageReturn {
              fieldNewlines += 1
            }
            cursor += 1
          }
          if cursor == limit {
            guard atEnd else { return false }
            throw error(
              at: opening, kind: .unterminatedQuote,
              detail: "the quoted field opened here is not closed before the end of the file")
          }
          // `cursor` is at a quote: an escaped one (`""`) or the closing one.
          let after = cursor + 1
          if after == limit {
            guard atEnd else { return false }
            newlines += fieldNewlines
            appendField(
              start: opening + 1, count: cursor - opening - 1, quoted: true, escaped: escaped)
            finishRecord(at: after, newlines: newlines, endedByLineEnd: false)
            return true
          }
          let next = base[after]
          if next == Self.quote {
            escaped = true
            cursor = after + 1
            continue
          }
          newlines += fieldNewlines
          appendField(
            start: opening + 1, count: cursor - opening - 1, quoted: true, escaped: escaped)
          if next == Self.comma {
            position = after + 1
            break
          }
          if next == Self.lineFeed || next == Self.carriageReturn {
            guard let recordEnd = lineEndLength(at: after, limit: limit, atEnd: atEnd) else {
              return false
            }
            finishRecord(at: after + recordEnd, newlines: newlines, endedByLineEnd: true)
            return true
          }
          throw error(
            at: after, kind: .characterAfterClosingQuote,
            detail: "expected a comma or a line end after the closing quote")
        }
      } else {
        let cursor = ByteSearch.firstDelimiter(base, from: position, to: limit)
        if cursor == limit {
          guard atEnd else { return false }
          appendField(start: position, count: cursor - position, quoted: false, escaped: false)
          finishRecord(at: cursor, newlines: newlines, endedByLineEnd: false)
          return true
        }
        appendField(start: position, count: cursor - position, quoted: false, escaped: false)
        if base[cursor] == Self.comma {
          position = cursor + 1
          continue
        }
        guard let length = lineEndLength(at: cursor, limit: limit, atEnd: atEnd) else {
          return false
        }
        finishRecord(at: cursor + length, newlines: newlines, endedByLineEnd: true)
        return true
      }
    }
  }

  /// Length of the line end at `index` (1, or 2 for CR LF); `nil` when a CR is the last byte
  /// available and an LF may still follow it.
  @inline(__always)
  private func lineEndLength(at index: Int, limit: Int, atEnd: Bool) -> Int? {
    guard buffer[index] == Self.carriageReturn else { return 1 }
    if index + 1 < limit { return buffer[index + 1] == Self.lineFeed ? 2 : 1 }
    return atEnd ? 1 : nil
  }

  @inline(__always)
  private func finishRecord(at position: Int, newlines: Int, endedByLineEnd: Bool) {
    recordEnd = position
    nextLine = line + newlines + (endedByLineEnd ? 1 : 0)
  }

  @inline(__always)
  private func appendField(start: Int, count: Int, quoted: Bool, escaped: Bool) {
    if fieldCount == fieldCapacity { growFields() }
    fields[fieldCount] = FieldSlot(
      start: start, count: count, quoted: quoted, hasEscapedQuotes: escaped)
    fieldCount += 1
  }

  private func growFields() {
    let larger = UnsafeMutablePointer<FieldSlot>.allocate(capacity: fieldCapacity * 2)
    larger.moveInitialize(from: fields, count: fieldCapacity)
    fields.deallocate()
    fields = larger
    fieldCapacity *= 2
  }

  /// Turns each `""` into `"` inside its field, in place: only once the whole record is known,
  /// because a restarted scan must see the bytes as written.
  private func unescapeQuotedFields() {
    for index in 0..<fieldCount where fields[index].hasEscapedQuotes {
      let slot = fields[index]
      var read = slot.start
      var write = slot.start
      let stop = slot.start + slot.count
      while read < stop {
        let byte = buffer[read]
        buffer[write] = byte
        write += 1
        read += byte == Self.quote ? 2 : 1
      }
      fields[index].count = write - slot.start
      fields[index].hasEscapedQuotes = false
    }
  }

  /// Reads the rest of the input without parsing it, handing every byte to `onBytesRead`: a
  /// caller that stopped at a bad record can still hash the whole file, to tell a bad file from
  /// bytes that are not the file it expected. No record can be read afterwards.
  public func readRemainingBytes() throws {
    guard !reachedEndOfFile else { return }
    // Parsing is over: the whole buffer is scratch space.
    recordStart = 0
    recordEnd = 0
    end = 0
    validatedEnd = 0
    while true {
      let count = read(fileDescriptor, buffer, capacity)
      if count > 0 {
        onBytesRead?(UnsafeRawBufferPointer(start: buffer, count: count))
      } else if count == 0 {
        reachedEndOfFile = true
        return
      } else if errno != EINTR {
        throw CSVError(
          kind: .io, line: 0, column: 0, detail: "cannot read \(path): \(Self.systemMessage())")
      }
    }
  }

  // MARK: - Reading

  private func refill() throws {
    if let failure = pendingFailure {
      throw error(at: failure.position, kind: failure.kind, detail: failure.detail)
    }
    precondition(!reachedEndOfFile, "refill past the end of the input")
    if recordStart > 0 {
      let kept = end - recordStart
      if kept > 0 { memmove(buffer, buffer + recordStart, kept) }
      end -= recordStart
      validatedEnd -= recordStart
      recordEnd -= recordStart
      recordStart = 0
    }
    if end == capacity {
      // The record fills the whole buffer: grow it, up to the limit.
      guard capacity < maxRecordBytes else {
        let limit =
          maxRecordBytes >> 20 > 0 ? "\(maxRecordBytes >> 20) MiB" : "\(maxRecordBytes) bytes"
        throw error(
          at: recordStart + maxRecordBytes - 1, kind: .recordTooLong,
          detail: "a row runs past \(limit) here without ending (the limit per row)")
      }
      let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: min(capacity * 2, maxRecordBytes))
      larger.update(from: buffer, count: end)
      buffer.deallocate()
      buffer = larger
      capacity = min(capacity * 2, maxRecordBytes)
    }
    // Fill the buffer completely, so a record is rescanned at most once per buffer's worth.
    while end < capacity && !reachedEndOfFile {
      let count = read(fileDescriptor, buffer + end, capacity - end)
      if count > 0 {
        onBytesRead?(UnsafeRawBufferPointer(start: buffer + end, count: count))
        end += count
      } else if count == 0 {
        reachedEndOfFile = true
      } else if errno != EINTR {
        throw CSVError(
          kind: .io, line: 0, column: 0, detail: "cannot read \(path): \(Self.systemMessage())")
      }
    }
    validateNewBytes()
  }

  private func validateNewBytes() {
    guard pendingFailure == nil else { return }
    let outcome = UTF8Validation.validate(buffer, from: validatedEnd, to: end)
    validatedEnd = outcome.validEnd
    switch outcome.failure {
    case .nul:
      pendingFailure = PendingFailure(
        position: validatedEnd, kind: .nulCharacter, detail: "byte 0x00")
    case .invalid:
      pendingFailure = PendingFailure(
        position: validatedEnd, kind: .invalidUTF8, detail: "byte \(Self.hex(buffer[validatedEnd]))"
      )
    case nil:
      if reachedEndOfFile && validatedEnd < end {
        pendingFailure = PendingFailure(
          position: validatedEnd, kind: .invalidUTF8,
          detail: "character cut short by the end of the file")
      }
    }
  }

  // MARK: - Positions

  /// Line and character column of a buffer offset inside the current record; computed only for
  /// messages, by walking from the record start (which is always at column 1).
  private func position(of offset: Int) -> (line: Int, column: Int) {
    var line = self.line
    var column = 1
    var index = recordStart
    while index < offset {
      let byte = buffer[index]
      if byte == Self.carriageReturn {
        line += 1
        column = 1
      } else if byte == Self.lineFeed {
        if index == recordStart || buffer[index - 1] != Self.carriageReturn { line += 1 }
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
      index += 1
    }
    return (line, column)
  }

  private func error(at offset: Int, kind: CSVError.Kind, detail: String) -> CSVError {
    let (line, column) = position(of: offset)
    return CSVError(kind: kind, line: line, column: column, detail: detail)
  }

  private static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
  }

  private static func systemMessage() -> String {
    String(cString: strerror(errno))
  }
}
