import Testing

@testable import LedgerPages

/// The advice follows the wording of each recorded reason, whichever path recorded it.
@Suite struct RejectionHintTests {
  @Test(arguments: [
    (
      "changed after it was hashed: read 10 bytes with SHA-256 aa, expected 12 bytes",
      "changed-on-disk"
    ),
    (
      "changed after it was scanned: read 10 bytes with SHA-256 aa, expected 12 bytes; the next scan takes it again",
      "changed-on-disk"
    ),
    ("the file is missing; its size is 3 bytes, the message says 4", "changed-on-disk"),
    ("would soft-delete 9 of 10 live users; refused as a mass delete", "mass-delete"),
    ("the database refused it: value too long", "database-refused"),
    ("line 2, column Name: 'x' is longer than 255 characters", "fix-file"),
  ])
  func reasonsMapToTheirAdvice(_ message: String, _ hint: String) {
    #expect(RejectionHint(message: message).rawValue == hint)
  }
}
