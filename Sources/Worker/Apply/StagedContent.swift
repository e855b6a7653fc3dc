import CSV
import Crypto
import Messages

/// The size and SHA-256 of the bytes a reader actually parsed, to hold them to the identity the
/// ledger records for the file: a file replaced after it was hashed must not load unseen content
/// under the old identity.
final class StagedContent {
  private var hasher = SHA256()
  private(set) var size: Int64 = 0

  /// Observes everything `reader` reads from here on (attach before the first record).
  init(observing reader: CSVReader) {
    reader.onBytesRead = { [unowned self] bytes in
      hasher.update(bufferPointer: bytes)
      size += Int64(bytes.count)
    }
  }

  var sha256: Messages.SHA256Digest {
    Messages.SHA256Digest(bytes: hasher.finalize())
  }

  /// The digest of no bytes: what was read of a file that could not be opened. Its ledger row is
  /// recorded `mismatched`, so it makes no identity known and the file is offered again.
  static let nothingRead = Messages.SHA256Digest(bytes: SHA256.hash(data: [UInt8]()))

  /// Why the file differs from the expected identity, after reading what the parser left unread
  /// (a file refused at a bad record); nil when it matches.
  func mismatchOfWholeFile(
    _ reader: CSVReader, expectedSHA256: Messages.SHA256Digest?, expectedSize: Int64
  )
    -> String?
  {
    // A read error leaves the count short, which reports the file as not matching.
    try? reader.readRemainingBytes()
    return mismatch(expectedSHA256: expectedSHA256, expectedSize: expectedSize)
  }

  /// Why the bytes read differ from the expected identity; nil when they match. Without an
  /// expected digest (a file the scan left unhashed), only the size the scan saw is held to.
  func mismatch(expectedSHA256: Messages.SHA256Digest?, expectedSize: Int64) -> String? {
    guard let expectedSHA256 else {
      guard size != expectedSize else { return nil }
      return
        "changed after it was scanned: read \(size) bytes with SHA-256 \(sha256), expected \(expectedSize) bytes; the next scan takes it again"
    }
    let digest = sha256
    guard digest != expectedSHA256 || size != expectedSize else { return nil }
    return
      "changed after it was hashed: read \(size) bytes with SHA-256 \(digest), expected \(expectedSize) bytes with SHA-256 \(expectedSHA256); the next scan takes the new content as a new file"
  }
}
