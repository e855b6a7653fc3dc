/// Where a file sits in an extractor tree, and so what it holds and which rows it speaks for.
///
/// Directory names and the `section=` / `assignment=` / `date=` prefixes match in any case;
/// the ids after `=` are kept verbatim (lms-udm §1, load-semantics §2).
public struct ResourceLocation: Hashable, Sendable {
  public let resource: ResourceKind
  /// The parent section's SourceSystemIdentifier, for section- and assignment-scoped files.
  public let sectionID: String?
  /// The parent assignment's SourceSystemIdentifier, for submissions.
  public let assignmentID: String?
  /// The `date=` folder of a system-activities file.
  public let activityDate: String?
  /// The moment in the file name.
  public let nameTimestamp: NameTimestamp

  public init(
    resource: ResourceKind, sectionID: String? = nil, assignmentID: String? = nil,
    activityDate: String? = nil, nameTimestamp: NameTimestamp
  ) {
    self.resource = resource
    self.sectionID = sectionID
    self.assignmentID = assignmentID
    self.activityDate = activityDate
    self.nameTimestamp = nameTimestamp
  }

  /// Maps a `/`-separated path relative to a source root; nil for anything that is not an LMS-UDM file.
  public init?(relativePath: String) {
    let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(
      String.init)
    guard let fileName = parts.last, let timestamp = NameTimestamp(fileName: fileName) else {
      return nil
    }
    let directories = Array(parts.dropLast())
    // Bytes, not Characters: an id that starts with a combining mark would otherwise merge with
    // the `=` into one Character and be lost or cut. Case folding is ASCII-only for the same reason.
    // Compared in place: a scan parses every file's path, and arrays made per comparison showed.
    func value(_ component: String, prefix: String) -> String? {
      let bytes = component.utf8
      guard bytes.count > prefix.utf8.count, Self.asciiCaseInsensitivePrefix(prefix, of: bytes)
      else { return nil }
      return String(decoding: bytes.dropFirst(prefix.utf8.count), as: UTF8.self)
    }
    func named(_ component: String, _ resource: ResourceKind) -> Bool {
      component.utf8.count == resource.directoryName.utf8.count
        && Self.asciiCaseInsensitivePrefix(resource.directoryName, of: component.utf8)
    }

    switch directories.count {
    case 1:
      if named(directories[0], .users) {
        self.init(resource: .users, nameTimestamp: timestamp)
      } else if named(directories[0], .sections) {
        self.init(resource: .sections, nameTimestamp: timestamp)
      } else {
        return nil
      }
    case 2:
      if named(directories[0], .systemActivities) {
        guard let date = value(directories[1], prefix: "date="), Self.isCalendarDate(date) else {
          return nil
        }
        self.init(resource: .systemActivities, activityDate: date, nameTimestamp: timestamp)
        return
      }
      guard let section = value(directories[0], prefix: "section=") else { return nil }
      let sectionScoped: [ResourceKind] = [
        .sectionAssociations, .assignments, .attendanceEvents, .sectionActivities, .grades,
      ]
      guard let resource = sectionScoped.first(where: { named(directories[1], $0) }) else {
        return nil
      }
      self.init(resource: resource, sectionID: section, nameTimestamp: timestamp)
    case 3:
      guard let section = value(directories[0], prefix: "section="),
        let assignment = value(directories[1], prefix: "assignment="),
        named(directories[2], .submissions)
      else { return nil }
      self.init(
        resource: .submissions, sectionID: section, assignmentID: assignment,
        nameTimestamp: timestamp)
    default:
      return nil
    }
  }

  /// The scope directory with its ids verbatim and its prefixes in one case: the ledger's watermark key.
  public var scopeKey: String {
    switch resource.scopeKind {
    case .provider: return ""
    case .section: return "section=\(sectionID ?? "")"
    case .assignment: return "section=\(sectionID ?? "")/assignment=\(assignmentID ?? "")"
    case .incremental: return "date=\(activityDate ?? "")"
    }
  }

  /// Whether `bytes` start with `lowercase` (itself lower case), ASCII letters in either case.
  static func asciiCaseInsensitivePrefix(_ lowercase: String, of bytes: String.UTF8View) -> Bool {
    var remaining = bytes.makeIterator()
    for expected in lowercase.utf8 {
      guard let byte = remaining.next() else { return false }
      if (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) != expected { return false }
    }
    return true
  }

  static func isCalendarDate(_ text: String) -> Bool {
    let utf8 = Array(text.utf8)
    guard utf8.count == 10, utf8[4] == 0x2D, utf8[7] == 0x2D else { return false }
    let digits = utf8.enumerated().filter { $0.offset != 4 && $0.offset != 7 }.map(\.element)
    guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
    let year = Int(String(decoding: utf8[0..<4], as: UTF8.self))!
    let month = Int(String(decoding: utf8[5..<7], as: UTF8.self))!
    let day = Int(String(decoding: utf8[8..<10], as: UTF8.self))!
    return NameTimestamp(year: year, month: month, day: day, hour: 0, minute: 0, second: 0) != nil
  }
}
