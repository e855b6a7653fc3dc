import Foundation

/// Finds the character at a physical line and character column of a file, for messages about
/// malformed CSV. Lines end at LF, CR or CR LF, as the reader counts them; columns count Unicode
/// scalars. Reads the file in chunks, only as far as that position.
enum CharacterLookup {
  static func character(atLine line: Int, column: Int, path: String) -> String? {
    guard line > 0, column > 0, let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    var currentLine = 1
    var currentColumn = 1
    var previousWasCR = false
    var collected: [UInt8] = []
    var first = true
    while var chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty {
      // The reader drops a leading BOM before counting columns.
      if first, chunk.starts(with: [0xEF, 0xBB, 0xBF]) { chunk = chunk.dropFirst(3) }
      first = false
      for byte in chunk {
        if !collected.isEmpty {
          // Continuation bytes of the wanted character.
          if byte & 0xC0 == 0x80 {
            collected.append(byte)
            continue
          }
          return String(decoding: collected, as: UTF8.self)
        }
        if byte == 0x0A {
          if !previousWasCR { currentLine += 1 }
          currentColumn = 1
          previousWasCR = false
          continue
        }
        if byte == 0x0D {
          currentLine += 1
          currentColumn = 1
          previousWasCR = true
          continue
        }
        previousWasCR = false
        if byte & 0xC0 == 0x80 { continue }
        if currentLine == line && currentColumn == column {
          collected.append(byte)
          continue
        }
        currentColumn += 1
        if currentLine > line { return nil }
      }
    }
    return collected.isEmpty ? nil : String(decoding: collected, as: UTF8.self)
  }
}
