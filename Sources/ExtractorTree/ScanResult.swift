/// What one scan found. Only `files` is offered for loading; the lists are for the run summary.
/// Every path in the lists is absolute, so a multi-root scan's report is unambiguous.
public struct ScanResult: Hashable, Sendable {
  /// In apply order (`ScannedFile.applyOrder`).
  public var files: [ScannedFile]
  /// `.csv` files (any case) that are not LMS-UDM files: reported, never read.
  public var unrecognized: [String]
  /// Files modified within the settle window, or changed while hashed: left for the next scan.
  public var unsettled: [String]
  /// Symbolic links whose target lies outside their root: not followed.
  public var linksOutside: [String]
  /// Entries that could not be read: a broken link, a name that is not UTF-8, a permission error.
  public var unreadable: [String]
  /// How many files took their SHA-256 from the ledger instead of being hashed.
  public var reusedHashes: Int
  /// Settled files the scan did not hash (`SourceScanner.DigestSource.reader`), in apply order.
  public var leftToReader: [SettledFile] = []

  public init(
    files: [ScannedFile] = [], unrecognized: [String] = [], unsettled: [String] = [],
    linksOutside: [String] = [], unreadable: [String] = [], reusedHashes: Int = 0
  ) {
    self.files = files
    self.unrecognized = unrecognized
    self.unsettled = unsettled
    self.linksOutside = linksOutside
    self.unreadable = unreadable
    self.reusedHashes = reusedHashes
  }
}
