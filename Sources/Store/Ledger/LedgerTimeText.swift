import Foundation

/// Compares a ledger time as a driver returns it with a time seen on disk. PostgreSQL drops
/// trailing zeros of the fraction and SQL Server may return seven digits, so the text is brought
/// to the canonical `YYYY-MM-DD HH:MM:SS.ffffff` first.
public enum LedgerTimeText {
  public static func canonical(_ text: String) -> String? {
    let characters = Array(text)
    guard characters.count >= 19 else { return nil }
    var head = String(characters[0..<19])
    if head.count == 19, Array(head)[10] == "T" {
      head = String(head.prefix(10)) + " " + String(head.suffix(8))
    }
    var fraction = ""
    if characters.count > 20, characters[19] == "." {
      fraction = String(characters[20...].prefix { $0.isASCII && $0.isNumber })
    }
    fraction = String((fraction + "000000").prefix(6))
    return head + "." + fraction
  }

  public static func sameInstant(stored: String, seen: Date) -> Bool {
    canonical(stored) == CanonicalTime.text(seen)
  }
}
